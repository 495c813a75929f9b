/* The digital map of Hanoi's public-service agent network.
 *
 * Draws the ward polygons and the agents as plain SVG from the gateway's GeoJSON: no tile server,
 * no CDN, no library, so the page works with no internet. Pan and zoom change the SVG viewBox;
 * markers keep the same size on screen at every zoom.
 */
(function () {
  "use strict";

  var API = (document.body.dataset.api || "/api/v1").replace(/\/$/, "");
  var SVGNS = "http://www.w3.org/2000/svg";
  var K = 1000; // map units per degree of latitude
  var COVERED_KM = 5;
  var MARKER_PX = 8; // marker radius on screen

  var TYPES = {
    chi_nhanh: { label: "Chi nhánh Trung tâm Phục vụ hành chính công", color: "#6a1b9a", shape: "square" },
    diem_tiep_nhan: { label: "Điểm tiếp nhận hồ sơ", color: "#00695c", shape: "diamond" },
    mot_cua_xa: { label: "Bộ phận một cửa phường, xã", color: "#c62828", shape: "circle" },
    dai_ly: { label: "Đại lý dịch vụ công trực tuyến", color: "#1565c0", shape: "triangle" },
    buu_dien: { label: "Bưu điện", color: "#e65100", shape: "pentagon" },
    other: { label: "Điểm hỗ trợ khác", color: "#424242", shape: "circle" }
  };
  var SERVICES = {
    tiep_nhan_ho_so: "tiếp nhận hồ sơ",
    tra_ket_qua: "trả kết quả",
    ho_tro_truc_tuyen: "hướng dẫn nộp hồ sơ trực tuyến",
    chung_thuc: "chứng thực",
    buu_chinh_cong_ich: "nhận và trả hồ sơ qua bưu chính công ích"
  };
  var COVERAGE = {
    covered: { label: "Có điểm hỗ trợ trong vòng 5 km", color: "#a5d6a7" },
    near: { label: "Điểm gần nhất cách 5 đến 10 km", color: "#ffcc80" },
    far: { label: "Điểm gần nhất cách trên 10 km", color: "#ef9a9a" },
    unknown: { label: "Chưa có số liệu", color: "#e0e0e0" }
  };

  var svg = document.getElementById("map");
  var wardLayer = document.getElementById("wards-layer");
  var labelLayer = document.getElementById("labels-layer");
  var agentLayer = document.getElementById("agents-layer");
  var hereLayer = document.getElementById("here-layer");
  var loadStatus = document.getElementById("load-status");
  var detailsTitle = document.getElementById("details-title");
  var detailsBody = document.getElementById("details-body");
  var detailsBox = document.getElementById("details");
  var searchInput = document.getElementById("ward-search");
  var searchStatus = document.getElementById("search-status");
  var resultsList = document.getElementById("ward-results");

  var lon0 = 105.85, lat0 = 21.03, kx = K * Math.cos((lat0 * Math.PI) / 180);
  var wards = []; // {code, name, fullName, props, rings (lon/lat), bbox (map units), el, nameKey, fullKey}
  var agents = []; // {id, props, lon, lat, x, y, dx, dy, el}
  var fullView = null;
  var view = null;
  var selectedWard = null;
  var selectedAgent = null;

  // ---------------------------------------------------------------- geometry helpers
  function project(lon, lat) {
    return [(lon - lon0) * kx, -(lat - lat0) * K];
  }

  function polygonsOf(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates];
    if (geometry.type === "MultiPolygon") return geometry.coordinates;
    return [];
  }

  function ringPath(ring) {
    var out = "";
    for (var i = 0; i < ring.length; i++) {
      var p = project(ring[i][0], ring[i][1]);
      out += (i ? "L" : "M") + p[0].toFixed(2) + " " + p[1].toFixed(2);
    }
    return out + "Z";
  }

  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function wardAt(lon, lat) {
    for (var w = 0; w < wards.length; w++) {
      var gb = wards[w].geoBox;
      if (lon < gb[0] || lon > gb[2] || lat < gb[1] || lat > gb[3]) continue;
      var polys = wards[w].polygons;
      for (var p = 0; p < polys.length; p++) {
        if (!inRing(lon, lat, polys[p][0])) continue;
        var hole = false;
        for (var h = 1; h < polys[p].length; h++) if (inRing(lon, lat, polys[p][h])) hole = true;
        if (!hole) return wards[w];
      }
    }
    return null;
  }

  /* Great-circle distance in km: only to rank nearby agents for a ?lat=&lon= link ("khoảng"). */
  function haversineKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180;
    var a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
    return 12742 * Math.asin(Math.sqrt(a));
  }

  /* Area-weighted centre of the largest outer ring: where the ward's name is written. */
  function labelPoint(polygons) {
    var best = null, bestArea = -1;
    polygons.forEach(function (poly) {
      var ring = poly[0], a = 0, cx = 0, cy = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += f;
        cx += (ring[j][0] + ring[i][0]) * f;
        cy += (ring[j][1] + ring[i][1]) * f;
      }
      if (Math.abs(a) > bestArea && a !== 0) {
        bestArea = Math.abs(a);
        best = [cx / (3 * a), cy / (3 * a)];
      }
    });
    return best;
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // ---------------------------------------------------------------- field access (API contract)
  function num(v) {
    var n = typeof v === "string" ? parseFloat(v) : v;
    return typeof n === "number" && isFinite(n) ? n : null;
  }

  function nearestKm(props) {
    var keys = ["coverage_km", "nearest_agent_km", "nearest_km"];
    for (var i = 0; i < keys.length; i++) {
      var v = num(props[keys[i]]);
      if (v !== null) return v;
    }
    return null;
  }

  function coverageClass(props) {
    var km = nearestKm(props);
    var covered = props.covered;
    if (covered === true || (covered === undefined && km !== null && km <= COVERED_KM)) return "covered";
    if (km === null) return covered === false ? "far" : "unknown";
    return km <= 2 * COVERED_KM ? "near" : "far";
  }

  function typeOf(props) {
    return TYPES[props.type] ? props.type : "other";
  }

  function formatKm(km) {
    if (km === null) return "";

    return (km < 10 ? km.toFixed(1) : Math.round(km).toString()).replace(".", ",") + " km";
  }

  /* "khoảng 1,2 km" / "dưới 0,1 km": distances here are always approximate. */
  function approxKm(km, capital) {
    var text = km < 0.1 ? "dưới 0,1 km" : "khoảng " + formatKm(km);
    return capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  // ---------------------------------------------------------------- view (pan / zoom)
  function unitsPerPixel() {
    var r = svg.getBoundingClientRect();
    if (!r.width || !r.height) return 1;
    return Math.max(view.w / r.width, view.h / r.height);
  }

  function applyView() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(3); }).join(" "));
    var s = unitsPerPixel();
    agents.forEach(function (a) {
      a.el.setAttribute("transform", "translate(" + (a.x + a.dx * s).toFixed(3) + " " + (a.y + a.dy * s).toFixed(3) +
        ") scale(" + s.toFixed(5) + ")");
    });
    Array.prototype.forEach.call(hereLayer.childNodes, function (node) {
      node.setAttribute("transform", "translate(" + node.dataset.x + " " + node.dataset.y + ") scale(" + s.toFixed(5) + ")");
    });
    // Ward names keep about 14 px on screen; the layer's style is inherited by every label.
    labelLayer.style.fontSize = (14 * s).toFixed(4) + "px";
    labelLayer.style.strokeWidth = (3 * s).toFixed(4) + "px";
    var zoomedIn = fullView && view.w < fullView.w / 3;
    labelLayer.style.display = zoomedIn ? "" : "none";
  }

  function setView(x, y, w, h) {
    var minW = fullView.w / 300, maxW = fullView.w * 2;
    var f = Math.min(Math.max(w, minW), maxW) / w;
    view = { x: x + (w - w * f) / 2, y: y + (h - h * f) / 2, w: w * f, h: h * f };
    applyView();
  }

  function zoomAt(factor, cx, cy) {
    var nw = view.w * factor, nh = view.h * factor;
    setView(cx - (cx - view.x) * factor, cy - (cy - view.y) * factor, nw, nh);
  }

  function zoomCentre(factor) {
    zoomAt(factor, view.x + view.w / 2, view.y + view.h / 2);
  }

  function fitBox(b, pad) {
    var w = b.maxX - b.minX, h = b.maxY - b.minY;
    var p = Math.max(w, h) * (pad || 0.25) + 0.5;
    setView(b.minX - p, b.minY - p, w + 2 * p, h + 2 * p);
  }

  function centreOn(x, y, widthUnits) {
    var r = svg.getBoundingClientRect();
    var h = widthUnits * (r.height && r.width ? r.height / r.width : 1);
    setView(x - widthUnits / 2, y - h / 2, widthUnits, h);
  }

  function toMap(evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX;
    pt.y = evt.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }

  var drag = null;
  var suppressClick = false;
  svg.addEventListener("pointerdown", function (evt) {
    if (evt.button !== 0) return;
    drag = { sx: evt.clientX, sy: evt.clientY, view: Object.assign({}, view), s: unitsPerPixel(), moved: false, id: evt.pointerId };
    suppressClick = false;
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    var dx = evt.clientX - drag.sx, dy = evt.clientY - drag.sy;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!drag.moved) {
      drag.moved = true;
      svg.setPointerCapture(drag.id);
      svg.classList.add("dragging");
    }
    view = { x: drag.view.x - dx * drag.s, y: drag.view.y - dy * drag.s, w: drag.view.w, h: drag.view.h };
    applyView();
  });
  function endDrag() {
    if (drag && drag.moved) suppressClick = true;
    drag = null;
    svg.classList.remove("dragging");
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("wheel", function (evt) {
    if (!view) return;
    evt.preventDefault();
    var p = toMap(evt);
    zoomAt(evt.deltaY > 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });
  svg.addEventListener("keydown", function (evt) {
    if (!view || evt.target !== svg) return;
    var step = 0.15;
    var handled = true;
    switch (evt.key) {
      case "ArrowLeft": setView(view.x - view.w * step, view.y, view.w, view.h); break;
      case "ArrowRight": setView(view.x + view.w * step, view.y, view.w, view.h); break;
      case "ArrowUp": setView(view.x, view.y - view.h * step, view.w, view.h); break;
      case "ArrowDown": setView(view.x, view.y + view.h * step, view.w, view.h); break;
      case "+": case "=": zoomCentre(0.7); break;
      case "-": case "_": zoomCentre(1 / 0.7); break;
      case "0": setView(fullView.x, fullView.y, fullView.w, fullView.h); break;
      default: handled = false;
    }
    if (handled) evt.preventDefault();
  });
  document.getElementById("zoom-in").addEventListener("click", function () { if (view) zoomCentre(0.7); });
  document.getElementById("zoom-out").addEventListener("click", function () { if (view) zoomCentre(1 / 0.7); });
  document.getElementById("zoom-all").addEventListener("click", function () {
    if (view) setView(fullView.x, fullView.y, fullView.w, fullView.h);
  });
  window.addEventListener("resize", function () { if (view) applyView(); });

  // ---------------------------------------------------------------- markers
  function shapePath(shape, r) {
    var pts = [];
    var n = { square: 4, diamond: 4, triangle: 3, pentagon: 5 }[shape];
    if (!n) return "M" + -r + " 0a" + r + " " + r + " 0 1 0 " + 2 * r + " 0a" + r + " " + r + " 0 1 0 " + -2 * r + " 0Z";
    var start = shape === "square" ? Math.PI / 4 : -Math.PI / 2;
    var rr = shape === "square" ? r * 1.25 : shape === "triangle" ? r * 1.35 : r * 1.15;
    for (var i = 0; i < n; i++) {
      var a = start + (i * 2 * Math.PI) / n;
      pts.push((rr * Math.cos(a)).toFixed(2) + " " + (rr * Math.sin(a)).toFixed(2));
    }
    return "M" + pts.join("L") + "Z";
  }

  function pointKey(xy) {
    return xy[0].toFixed(1) + "," + xy[1].toFixed(1);
  }

  /* Screen-pixel offsets that spread n agents sharing one point so that none hides another:
   * a ring for a few, a sunflower spiral (golden angle) for many. */
  function spreadOffsets(n) {
    var out = [];
    for (var i = 0; i < n; i++) {
      if (n < 2) out.push([0, 0]);
      else if (n <= 10) {
        var ang = -Math.PI / 2 + (i * 2 * Math.PI) / n;
        out.push([ringPx(n) * Math.cos(ang), ringPx(n) * Math.sin(ang)]);
      } else {
        var r = 1.6 * MARKER_PX * Math.sqrt(i + 0.5), t = i * 2.399963;
        out.push([r * Math.cos(t), r * Math.sin(t)]);
      }
    }
    return out;
  }

  /* Outer radius, in screen pixels, of the markers spread by spreadOffsets. */
  function ringPx(n) {
    if (n < 2) return 0;
    if (n <= 10) return MARKER_PX * (1.6 + n * 0.25);
    return 1.6 * MARKER_PX * Math.sqrt(n - 0.5);
  }

  function agentName(a) {
    return a.props.name || "Điểm hỗ trợ";
  }

  function drawAgents(features) {
    var groups = {};
    features.forEach(function (f, i) {
      var g = f.geometry;
      if (!g || g.type !== "Point" || !g.coordinates) return;
      var lon = num(g.coordinates[0]), lat = num(g.coordinates[1]);
      if (lon === null || lat === null) return;
      var props = f.properties || {};
      var xy = project(lon, lat);
      var a = { id: String(props.id != null ? props.id : f.id != null ? f.id : i), props: props, lon: lon, lat: lat,
        x: xy[0], y: xy[1], dx: 0, dy: 0 };
      var key = pointKey(xy);
      (groups[key] = groups[key] || []).push(a);
      agents.push(a);
    });
    // Agents placed at the same point (several offices of one ward centre) are spread on a small
    // ring, in screen pixels, so that each one stays visible and clickable.
    Object.keys(groups).forEach(function (key) {
      var g = groups[key];
      if (g.length < 2) return;
      var offsets = spreadOffsets(g.length);
      g.forEach(function (a, i) {
        a.dx = offsets[i][0];
        a.dy = offsets[i][1];
      });
    });
    // A ward's name is written below the markers that sit on its inside point.
    Array.prototype.forEach.call(labelLayer.childNodes, function (t) {
      var g = groups[t.dataset.key];
      var below = g ? ringPx(g.length) + MARKER_PX + 12 : MARKER_PX + 12;
      t.setAttribute("dy", (below / 14).toFixed(2) + "em");
    });
    // Rare types first, so that branches and reception points are drawn on top.
    var order = ["buu_dien", "dai_ly", "other", "mot_cua_xa", "diem_tiep_nhan", "chi_nhanh"];
    agents.slice().sort(function (a, b) {
      return order.indexOf(typeOf(a.props)) - order.indexOf(typeOf(b.props));
    }).forEach(function (a) {
      var t = TYPES[typeOf(a.props)];
      var approx = a.props.location_accuracy === "ward" ? ", vị trí gần đúng" : "";
      var g = el("g", { "class": "agent", tabindex: "0", role: "button", "data-id": a.id,
        "data-type": typeOf(a.props), "aria-label": agentName(a) + ", " + t.label + approx }, agentLayer);
      el("path", { "class": "shape", d: shapePath(t.shape, MARKER_PX), fill: t.color }, g);
      el("title", {}, g).textContent = agentName(a);
      g.addEventListener("click", function (evt) {
        evt.stopPropagation();
        if (suppressClick) return;
        showAgent(a);
      });
      g.addEventListener("keydown", function (evt) {
        if (evt.key === "Enter" || evt.key === " ") {
          evt.preventDefault();
          showAgent(a, true);
        }
      });
      a.el = g;
    });
  }

  // ---------------------------------------------------------------- wards
  function drawWards(features) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    var loMin = Infinity, loMax = -Infinity, laMin = Infinity, laMax = -Infinity;
    features.forEach(function (f) {
      polygonsOf(f.geometry).forEach(function (poly) {
        poly[0].forEach(function (c) {
          if (c[0] < loMin) loMin = c[0];
          if (c[0] > loMax) loMax = c[0];
          if (c[1] < laMin) laMin = c[1];
          if (c[1] > laMax) laMax = c[1];
        });
      });
    });
    if (loMin <= loMax) {
      lon0 = (loMin + loMax) / 2;
      lat0 = (laMin + laMax) / 2;
      kx = K * Math.cos((lat0 * Math.PI) / 180);
    }
    features.forEach(function (f) {
      var props = f.properties || {};
      var polygons = polygonsOf(f.geometry);
      if (!polygons.length) return;
      var d = "";
      var b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
      var geoBox = [Infinity, Infinity, -Infinity, -Infinity];
      polygons.forEach(function (poly) {
        poly.forEach(function (ring) {
          d += ringPath(ring);
          ring.forEach(function (c) {
            geoBox = [Math.min(geoBox[0], c[0]), Math.min(geoBox[1], c[1]),
              Math.max(geoBox[2], c[0]), Math.max(geoBox[3], c[1])];
            var p = project(c[0], c[1]);
            if (p[0] < b.minX) b.minX = p[0];
            if (p[0] > b.maxX) b.maxX = p[0];
            if (p[1] < b.minY) b.minY = p[1];
            if (p[1] > b.maxY) b.maxY = p[1];
          });
        });
      });
      minX = Math.min(minX, b.minX); maxX = Math.max(maxX, b.maxX);
      minY = Math.min(minY, b.minY); maxY = Math.max(maxY, b.maxY);
      var code = String(props.code != null ? props.code : f.id);
      var fullName = props.fullName || props.full_name || props.name || code;
      var cov = coverageClass(props);
      var path = el("path", { "class": "ward", d: d, fill: COVERAGE[cov].color, "fill-rule": "evenodd",
        "data-code": code, "data-coverage": cov, "data-name": fullName }, wardLayer);
      el("title", {}, path).textContent = fullName;
      var w = { code: code, name: props.name || fullName, fullName: fullName, props: props, polygons: polygons,
        bbox: b, geoBox: geoBox, el: path, nameKey: DvcFold.fold(props.name || fullName), fullKey: DvcFold.fold(fullName) };
      path.addEventListener("click", function () {
        if (suppressClick) return;
        selectWard(w, false);
      });
      var rlat = num(props.rep_lat), rlon = num(props.rep_lon);
      var lp = rlat !== null && rlon !== null ? [rlon, rlat] : labelPoint(polygons);
      if (lp) {
        var xy = project(lp[0], lp[1]);
        var t = el("text", { "class": "ward-label", x: xy[0].toFixed(2), y: xy[1].toFixed(2), dy: "1.4em",
          "data-key": pointKey(xy) }, labelLayer);
        t.textContent = w.name;
      }
      wards.push(w);
    });
    var pad = (maxX - minX) * 0.03;
    fullView = { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad };
    setView(fullView.x, fullView.y, fullView.w, fullView.h);
  }

  function findWard(code) {
    code = String(code);
    for (var i = 0; i < wards.length; i++) if (wards[i].code === code) return wards[i];
    // GSO codes are 5 digits; links may drop the leading zeros ("4" for "00004").
    var padded = ("00000" + code).slice(-5);
    for (var j = 0; j < wards.length; j++) if (wards[j].code === padded) return wards[j];
    return null;
  }

  function agentsInWard(w) {
    var code = w.code;
    return agents.filter(function (a) {
      var wc = a.props.ward_code;
      if (wc != null && wc !== "") return String(wc) === code;
      return a.ward === w;
    });
  }

  // ---------------------------------------------------------------- details panel
  function clearDetails(title) {
    detailsTitle.textContent = title;
    detailsBody.textContent = "";
  }

  function addRow(dl, term, value, cls) {
    if (value === null || value === undefined || value === "") return null;
    dl.appendChild(html("dt", term));
    var dd = html("dd", null, cls);
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = value;
    dl.appendChild(dd);
    return dd;
  }

  function serviceText(v) {
    var list = Array.isArray(v) ? v : String(v || "").split(";");
    return list.filter(Boolean).map(function (code) {
      code = String(code).trim();
      return SERVICES[code] || code.replace(/_/g, " ");
    }).join(", ");
  }

  function agentById(id) {
    if (id === null || id === undefined) return null;
    for (var i = 0; i < agents.length; i++) if (agents[i].id === String(id)) return agents[i];
    return null;
  }

  function agentButton(a, extra) {
    var b = html("button", agentName(a) + (extra || ""));
    b.type = "button";
    b.className = "link-button";
    b.addEventListener("click", function () { showAgent(a, true); });
    return b;
  }

  function showAgent(a, centre) {
    if (selectedAgent) selectedAgent.el.classList.remove("selected");
    selectedAgent = a;
    a.el.classList.add("selected");
    var p = a.props;
    clearDetails(agentName(a));
    var dl = html("dl");
    addRow(dl, "Loại", TYPES[typeOf(p)].label);
    addRow(dl, "Địa chỉ", p.address);
    if (p.phone) {
      var tel = html("a", p.phone);
      tel.href = "tel:" + String(p.phone).replace(/[^0-9+]/g, "");
      addRow(dl, "Điện thoại", tel);
    }
    addRow(dl, "Giờ làm việc", p.opening_hours || "Chưa có thông tin, nên gọi điện hỏi trước khi đến.");
    addRow(dl, "Dịch vụ", serviceText(p.services));
    var w = a.ward;
    addRow(dl, "Phường, xã", p.ward_name || (w ? w.fullName : ""));
    if (p.location_accuracy === "ward") {
      addRow(dl, "Vị trí", "Vị trí gần đúng: đặt ở giữa phường, xã, không phải đúng địa chỉ.", "approx");
    } else if (p.location_accuracy === "exact") {
      addRow(dl, "Vị trí", "Đúng địa chỉ.");
    }
    addRow(dl, "Nguồn", p.source);
    detailsBody.appendChild(dl);
    if (centre) centreOn(a.x, a.y, Math.min(view.w, fullView.w / 8));
    detailsBox.dataset.agentId = a.id;
    detailsBox.dataset.wardCode = "";
  }

  function showWard(w) {
    var p = w.props;
    clearDetails(w.fullName);
    var dl = html("dl");
    var km = nearestKm(p);
    var cov = coverageClass(p);
    addRow(dl, "Mức phủ", COVERAGE[cov].label);
    var nearest = agentById(p.nearest_agent_id);
    if (km !== null) addRow(dl, "Điểm hỗ trợ gần nhất", approxKm(km, true) + " từ giữa phường, xã (đường chim bay)" +
      (nearest ? ": " + agentName(nearest) : p.nearest_agent_name ? ": " + p.nearest_agent_name : ""));
    var inside = agentsInWard(w);
    addRow(dl, "Số điểm hỗ trợ trong phường, xã", String(inside.length));
    detailsBody.appendChild(dl);
    if (inside.length) {
      var ul = html("ul", null, "agent-list");
      inside.forEach(function (a) {
        var li = html("li");
        li.appendChild(agentButton(a, " (" + TYPES[typeOf(a.props)].label + ")"));
        ul.appendChild(li);
      });
      detailsBody.appendChild(ul);
    }
    detailsBox.dataset.wardCode = w.code;
    detailsBox.dataset.agentId = "";
  }

  function selectWard(w, zoom) {
    if (selectedWard) selectedWard.el.classList.remove("selected");
    selectedWard = w;
    w.el.classList.add("selected");
    wardLayer.appendChild(w.el); // drawn last so that its thick outline is not covered by neighbours
    if (zoom) fitBox(w.bbox, 0.3);
    showWard(w);
  }

  // ---------------------------------------------------------------- search
  function localMatches(q) {
    var keys = DvcFold.queryKeys(q);
    if (!keys.length) return [];
    return wards.map(function (w) { return { w: w, s: DvcFold.score(keys, w.nameKey, w.fullKey) }; })
      .filter(function (m) { return m.s > 0; })
      .sort(function (a, b) { return b.s - a.s || a.w.name.localeCompare(b.w.name, "vi"); });
  }

  /* Ward codes in a /wards/resolve answer, best first, whatever its exact shape. */
  function codesFromResolve(data) {
    var out = [];
    function visit(v, depth) {
      if (!v || depth > 4) return;
      if (Array.isArray(v)) { v.forEach(function (x) { visit(x, depth + 1); }); return; }
      if (typeof v === "string") {
        if (findWard(v) && out.indexOf(findWard(v)) < 0) out.push(findWard(v));
        return;
      }
      if (typeof v !== "object") return;
      var c = v.code || v.ward_code;
      if (c != null && findWard(c) && out.indexOf(findWard(c)) < 0) out.push(findWard(c));
      ["ward", "wards", "match", "matches", "candidates", "results", "new_wards"].forEach(function (k) {
        if (v[k]) visit(v[k], depth + 1);
      });
    }
    visit(data, 0);
    return out;
  }

  function showResults(list, current) {
    resultsList.textContent = "";
    list.slice(0, 12).forEach(function (w) {
      var li = html("li");
      var b = html("button", w.fullName);
      b.type = "button";
      b.dataset.code = w.code;
      if (w === current) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () {
        pick(w, list);
      });
      li.appendChild(b);
      resultsList.appendChild(li);
    });
  }

  function pick(w, list) {
    selectWard(w, true);
    searchStatus.classList.remove("error");
    searchStatus.textContent = "Đã tìm thấy " + w.fullName + ".";
    showResults(list.length > 1 ? list : [], w);
  }

  function notFound(q) {
    resultsList.textContent = "";
    searchStatus.classList.add("error");
    searchStatus.textContent = "Không tìm thấy phường, xã “" + q + "”. Hãy thử gõ tên khác, ví dụ: cau giay.";
  }

  function search(q) {
    q = (q || "").trim();
    if (!q) {
      searchStatus.classList.add("error");
      searchStatus.textContent = "Hãy gõ tên phường, xã cần tìm.";
      return Promise.resolve();
    }
    if (!wards.length) return Promise.resolve();
    var matches = localMatches(q).map(function (m) { return m.w; });
    var scored = localMatches(q);
    var top = scored[0];
    var tied = scored.filter(function (m) { return top && m.s === top.s; }).length;
    if (top && (top.s === 100 || (top.s >= 60 && tied === 1))) {
      pick(top.w, matches);
      return Promise.resolve();
    }
    if (top && top.s >= 40 && tied > 1) {
      // Several wards start with what was typed ("hoa"): let the person choose.
      searchStatus.classList.remove("error");
      searchStatus.textContent = "Có " + matches.length + " phường, xã khớp với “" + q + "”. Hãy chọn một.";
      showResults(matches, null);
      return Promise.resolve();
    }
    // Old names ("phường Dịch Vọng", "quận Hoàn Kiếm") and misspellings: ask the gazetteer.
    searchStatus.classList.remove("error");
    searchStatus.textContent = "Đang tìm…";
    return fetch(API + "/wards/resolve?q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (data) {
        var found = data ? codesFromResolve(data) : [];
        var resolved = found.length;
        matches.forEach(function (w) { if (found.indexOf(w) < 0) found.push(w); });
        if (!found.length) return notFound(q);
        pick(found[0], found);
        if (resolved && data.via_old_name) {
          var old = data.old_name || q;
          searchStatus.textContent = resolved > 1
            ? "Tên cũ “" + old + "” nay thuộc " + resolved + " phường, xã. Đang hiện " + found[0].fullName +
              "; bấm tên khác bên dưới để xem."
            : "Tên cũ “" + old + "” nay thuộc " + found[0].fullName + ".";
        }
      });
  }

  document.getElementById("search-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    search(searchInput.value);
  });
  searchInput.addEventListener("keydown", function (evt) {
    if (evt.key === "ArrowDown") {
      var first = resultsList.querySelector("button");
      if (first) { evt.preventDefault(); first.focus(); }
    } else if (evt.key === "Escape") {
      searchInput.value = "";
      resultsList.textContent = "";
      searchStatus.textContent = "";
    }
  });
  resultsList.addEventListener("keydown", function (evt) {
    var buttons = Array.prototype.slice.call(resultsList.querySelectorAll("button"));
    var i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    if (evt.key === "ArrowRight" || evt.key === "ArrowDown") { evt.preventDefault(); buttons[Math.min(i + 1, buttons.length - 1)].focus(); }
    if (evt.key === "ArrowLeft" || evt.key === "ArrowUp") {
      evt.preventDefault();
      if (i === 0) searchInput.focus(); else buttons[i - 1].focus();
    }
  });

  // ---------------------------------------------------------------- legends and summary
  function legendItem(list, swatch, text) {
    var li = html("li");
    li.appendChild(swatch);
    li.appendChild(html("span", text));
    list.appendChild(li);
  }

  function drawLegends(present) {
    var cov = document.getElementById("legend-coverage");
    cov.textContent = "";
    Object.keys(COVERAGE).forEach(function (k) {
      var sw = html("span", null, "swatch");
      sw.style.background = COVERAGE[k].color;
      legendItem(cov, sw, COVERAGE[k].label);
    });
    var types = document.getElementById("legend-agents");
    types.textContent = "";
    Object.keys(TYPES).forEach(function (k) {
      if (!present[k]) return; // only what is on the map
      var s = el("svg", { width: "24", height: "24", viewBox: "-12 -12 24 24", "aria-hidden": "true" });
      el("path", { d: shapePath(TYPES[k].shape, 8), fill: TYPES[k].color, stroke: "#fff", "stroke-width": "1.5" }, s);
      legendItem(types, s, TYPES[k].label + " (" + (present[k] || 0) + ")");
    });
  }

  function summarise() {
    var covered = wards.filter(function (w) { return coverageClass(w.props) === "covered"; }).length;
    document.getElementById("summary").textContent = wards.length + " phường, xã; " + agents.length +
      " điểm hỗ trợ; " + covered + " phường, xã có điểm hỗ trợ trong vòng " + COVERED_KM + " km.";
  }

  // ---------------------------------------------------------------- links from the bot
  function showHere(lat, lon) {
    var xy = project(lon, lat);
    hereLayer.textContent = "";
    var g = el("g", { "class": "here-marker", "data-x": xy[0].toFixed(3), "data-y": xy[1].toFixed(3) }, hereLayer);
    el("path", { "class": "here", d: "M0 0L-10 -20A11.5 11.5 0 1 1 10 -20Z" }, g);
    el("circle", { cx: "0", cy: "-24", r: "4", fill: "#fff" }, g);
    el("title", {}, g).textContent = "Vị trí của anh chị";
    var w = wardAt(lon, lat);
    if (w) selectWard(w, false);
    else clearDetails("Vị trí của anh chị");
    // What the person asked for comes first: where they are and the nearest agents; the ward after.
    var top = document.createDocumentFragment();
    top.appendChild(html("p", w ? "Vị trí anh chị gửi nằm trong " + w.fullName + "."
      : "Vị trí anh chị gửi nằm ngoài các phường, xã của Hà Nội."));
    var near = agents.map(function (a) { return { a: a, km: haversineKm(lat, lon, a.lat, a.lon) }; })
      .sort(function (x, y) { return x.km - y.km; }).slice(0, 3);
    if (near.length) {
      top.appendChild(html("h3", "Điểm hỗ trợ gần vị trí của anh chị"));
      var ul = html("ul", null, "agent-list");
      near.forEach(function (n) {
        var li = html("li");
        li.appendChild(agentButton(n.a, ", " + approxKm(n.km, false) +
          (n.a.props.location_accuracy === "ward" ? " (vị trí gần đúng)" : "")));
        ul.appendChild(li);
      });
      top.appendChild(ul);
      if (w) top.appendChild(html("h3", "Về " + w.fullName));
    }
    detailsBody.insertBefore(top, detailsBody.firstChild);
    centreOn(xy[0], xy[1], fullView.w / 12);
  }

  function applyUrl() {
    var params = new URLSearchParams(window.location.search);
    var lat = num(params.get("lat")), lon = num(params.get("lon") || params.get("lng"));
    var code = params.get("ward");
    var agentId = params.get("agent");
    var q = params.get("q");
    if (lat !== null && lon !== null && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
      showHere(lat, lon);
    } else if (code) {
      var w = findWard(code);
      if (w) selectWard(w, true);
      else loadStatus.textContent = "Không có phường, xã mã " + code + " trên bản đồ.";
    } else if (q) {
      searchInput.value = q;
      search(q);
    }
    if (agentId) {
      var a = agents.filter(function (x) { return x.id === agentId; })[0];
      if (a) showAgent(a, true);
    }
  }

  // ---------------------------------------------------------------- start
  function getJson(path) {
    return fetch(API + path, { headers: { Accept: "application/geo+json, application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(path + " trả lời " + r.status);
      return r.json();
    });
  }

  Promise.all([getJson("/wards.geojson"), getJson("/agents.geojson")])
    .then(function (res) {
      drawWards(res[0].features || []);
      drawAgents(res[1].features || []);
      var present = {};
      agents.forEach(function (a) {
        a.ward = wardAt(a.lon, a.lat);
        var t = typeOf(a.props);
        present[t] = (present[t] || 0) + 1;
      });
      applyView();
      drawLegends(present);
      summarise();
      loadStatus.textContent = "";
      applyUrl();
      document.body.dataset.wardCount = String(wards.length);
      document.body.dataset.agentCount = String(agents.length);
      document.body.dataset.ready = "1";
    })
    .catch(function (err) {
      loadStatus.classList.add("error");
      loadStatus.textContent = "Không tải được dữ liệu bản đồ. Vui lòng tải lại trang sau ít phút.";
      document.body.dataset.ready = "error";
      document.body.dataset.error = String(err && err.stack || err);
      if (window.console) console.warn("dvcbot map:", err);
    });
})();
