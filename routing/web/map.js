/* The digital map of Hanoi's public-service agent network, drawn with Leaflet (vendored).
 *
 * Everything comes from the gateway's API: the configuration (agent types and their names, the
 * coverage radius, an optional basemap) from /map/config, the ward polygons and the agents from the
 * GeoJSON endpoints, search from /wards/resolve (and /wards/search for the first letters of a name),
 * the agents near a point from /agents/nearest. With no basemap configured the page asks nothing
 * of any other host, so it works with no internet.
 */
(function () {
  "use strict";

  var API = (document.body.dataset.api || "/api/v1").replace(/\/$/, "");
  var MARKER_PX = 8; // marker radius on screen
  // Marker colour and shape by the position of the type in the configuration's list.
  var PALETTE = [
    { color: "#1565c0", shape: "triangle" },
    { color: "#6a1b9a", shape: "square" },
    { color: "#00695c", shape: "diamond" },
    { color: "#c62828", shape: "circle" },
    { color: "#e65100", shape: "pentagon" },
    { color: "#37474f", shape: "square" },
    { color: "#827717", shape: "diamond" }
  ];
  var OTHER = { label: "Điểm hỗ trợ khác", color: "#424242", shape: "circle" };
  var COVERAGE_COLORS = { covered: "#a5d6a7", near: "#ffcc80", far: "#ef9a9a", unknown: "#e0e0e0" };

  var mapEl = document.getElementById("map");
  var loadStatus = document.getElementById("load-status");
  var detailsTitle = document.getElementById("details-title");
  var detailsBody = document.getElementById("details-body");
  var detailsBox = document.getElementById("details");
  var searchInput = document.getElementById("ward-search");
  var searchStatus = document.getElementById("search-status");
  var resultsList = document.getElementById("ward-results");

  var config = null; // from /map/config
  var types = {}; // key -> {label, color, shape, rank}
  var services = {}; // key -> label
  var coverage = {}; // class -> {label, color}
  var map = null;
  var fullBounds = null;
  var labelGroup = null;
  var hereMarker = null;
  var wards = []; // {code, name, fullName, props, layer, el}
  var agents = []; // {id, props, lat, lon, marker, el}
  var selectedWard = null;
  var selectedAgent = null;
  var animate = false; // views set by the link the page was opened with appear at once; later ones glide

  // ---------------------------------------------------------------- small helpers
  function html(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function num(v) {
    var n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return typeof n === "number" && isFinite(n) ? n : null;
  }

  function kmText(km) {
    return (km < 10 ? km.toFixed(1) : Math.round(km).toString()).replace(".", ",") + " km";
  }

  /* "khoảng 1,2 km" / "dưới 0,1 km": distances here are always approximate. */
  function approxKm(km, capital) {
    var text = km < 0.1 ? "dưới 0,1 km" : "khoảng " + kmText(km);
    return capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function getJson(path) {
    return fetch(API + path, { headers: { Accept: "application/geo+json, application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(path + " trả lời " + r.status);
      return r.json();
    });
  }

  /* The JSON of a lookup that may answer 404 (nothing of that name): null then. */
  function lookup(path) {
    return fetch(API + path, { headers: { Accept: "application/json" } }).then(function (r) {
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(path + " trả lời " + r.status);
      return r.json();
    });
  }

  // ---------------------------------------------------------------- configuration
  function applyConfig(cfg) {
    config = cfg;
    (cfg.agent_types || []).forEach(function (t, i) {
      var style = PALETTE[i % PALETTE.length];
      types[t.key] = { label: t.label, color: style.color, shape: style.shape };
    });
    (cfg.services || []).forEach(function (s) { services[s.key] = s.label; });
    var r = num(cfg.radius_km) || 5;
    var rt = String(r).replace(".", ","), r2 = String(2 * r).replace(".", ",");
    coverage = {
      covered: { label: "Có điểm hỗ trợ trong vòng " + rt + " km", color: COVERAGE_COLORS.covered },
      near: { label: "Điểm gần nhất cách " + rt + " đến " + r2 + " km", color: COVERAGE_COLORS.near },
      far: { label: "Điểm gần nhất cách trên " + r2 + " km", color: COVERAGE_COLORS.far },
      unknown: { label: "Chưa có số liệu", color: COVERAGE_COLORS.unknown }
    };
  }

  function typeInfo(key) {
    return types[key] || OTHER;
  }

  function coverageClass(props) {
    var km = num(props.coverage_km);
    if (props.covered === true) return "covered";
    if (km === null) return props.covered === false ? "far" : "unknown";
    if (props.covered === undefined && km <= config.radius_km) return "covered";
    return km <= 2 * config.radius_km ? "near" : "far";
  }

  // ---------------------------------------------------------------- the Leaflet map
  function createMap() {
    map = L.map(mapEl, {
      zoomControl: false,
      attributionControl: false,
      zoomSnap: 0.25,
      zoomDelta: 0.5,
      wheelPxPerZoomLevel: 90,
      keyboardPanDelta: 120,
      minZoom: 8,
      maxZoom: 18
    });
    // Ward names under the markers and the "you are here" pin above them; names are decoration only.
    map.createPane("labels").style.zIndex = 450;
    map.getPane("labels").setAttribute("aria-hidden", "true");
    map.createPane("here").style.zIndex = 700;
    if (config.tile_url) {
      mapEl.classList.add("with-tiles");
      L.tileLayer(config.tile_url, { maxZoom: 19, crossOrigin: false }).addTo(map);
      var host = config.tile_url.replace(/^https?:\/\//, "").split("/")[0] || "máy chủ bản đồ nội bộ";
      L.control.attribution({ prefix: false }).addAttribution("Nền bản đồ: " + host).addTo(map);
    }
    mapEl.dataset.tiles = config.tile_url ? "1" : "0";
    map.on("zoomend", onZoom);
    map.on("movestart zoomstart", function () { mapEl.dataset.moving = "1"; });
    map.on("moveend", function () { mapEl.dataset.moving = "0"; });
    map.on("moveend", function () { mapEl.dataset.center = map.getCenter().lat.toFixed(5) + "," + map.getCenter().lng.toFixed(5); });
    // "0" shows the whole city (arrow keys and + / - are Leaflet's own).
    mapEl.addEventListener("keydown", function (evt) {
      if (evt.target === mapEl && evt.key === "0") {
        evt.preventDefault();
        showAll();
      }
    });
    document.getElementById("zoom-in").addEventListener("click", function () { map.zoomIn(1); });
    document.getElementById("zoom-out").addEventListener("click", function () { map.zoomOut(1); });
    document.getElementById("zoom-all").addEventListener("click", showAll);
  }

  function showAll() {
    if (fullBounds) map.fitBounds(fullBounds, { padding: [8, 8] });
  }

  function onZoom() {
    var z = map.getZoom();
    mapEl.dataset.zoom = String(z);
    // Ward names only once the map is zoomed in enough for them not to overlap.
    if (labelGroup && fullBounds) {
      var show = z >= map.getBoundsZoom(fullBounds) + 1.5;
      if (show && !map.hasLayer(labelGroup)) labelGroup.addTo(map);
      if (!show && map.hasLayer(labelGroup)) map.removeLayer(labelGroup);
    }
  }

  // ---------------------------------------------------------------- wards
  function drawWards(fc) {
    var tiles = !!config.tile_url;
    var layer = L.geoJSON(fc, {
      style: function (f) {
        return {
          className: "ward", color: "#5b6470", weight: 0.8, opacity: 1,
          fillColor: coverage[coverageClass(f.properties || {})].color, fillOpacity: tiles ? 0.45 : 1
        };
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties || {};
        var code = String(p.code != null ? p.code : f.id);
        var w = { code: code, name: p.name || p.full_name || code, fullName: p.full_name || p.name || code,
          props: p, layer: lyr, el: null };
        lyr.on("click", function () { selectWard(w, false); });
        wards.push(w);
      }
    });
    // The view first: Leaflet draws a layer only on a map that has one.
    fullBounds = layer.getBounds();
    map.fitBounds(fullBounds, { padding: [8, 8], animate: false });
    layer.addTo(map);
    wards.forEach(function (w) {
      var el = w.layer.getElement();
      w.el = el;
      el.dataset.code = w.code;
      el.dataset.coverage = coverageClass(w.props);
      el.dataset.name = w.fullName;
      var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = w.fullName;
      el.appendChild(title);
    });
  }

  function drawLabels(groups) {
    var tips = wards.map(function (w) {
      var lat = num(w.props.rep_lat), lon = num(w.props.rep_lon);
      if (lat === null || lon === null) return null;
      var g = groups[pointKey(lat, lon)];
      var below = (g ? ringPx(g.length) : 0) + MARKER_PX + 4;
      return L.tooltip({ permanent: true, direction: "bottom", className: "ward-label", pane: "labels",
        offset: [0, below], opacity: 1, interactive: false })
        .setLatLng([lat, lon]).setContent(w.name);
    }).filter(Boolean);
    labelGroup = L.layerGroup(tips);
  }

  function findWard(code) {
    code = String(code);
    for (var i = 0; i < wards.length; i++) if (wards[i].code === code) return wards[i];
    // GSO codes are 5 digits; links may drop the leading zeros ("4" for "00004").
    if (/^[0-9]{1,5}$/.test(code)) {
      var padded = ("00000" + code).slice(-5);
      for (var j = 0; j < wards.length; j++) if (wards[j].code === padded) return wards[j];
    }
    return null;
  }

  function agentsInWard(w) {
    return agents.filter(function (a) { return String(a.props.ward_code) === w.code; });
  }

  // ---------------------------------------------------------------- agents
  function shapePath(shape, r) {
    var n = { square: 4, diamond: 4, triangle: 3, pentagon: 5 }[shape];
    if (!n) return "M" + -r + " 0a" + r + " " + r + " 0 1 0 " + 2 * r + " 0a" + r + " " + r + " 0 1 0 " + -2 * r + " 0Z";
    var start = shape === "square" ? Math.PI / 4 : -Math.PI / 2;
    var rr = shape === "square" ? r * 1.25 : shape === "triangle" ? r * 1.35 : r * 1.15;
    var pts = [];
    for (var i = 0; i < n; i++) {
      var a = start + (i * 2 * Math.PI) / n;
      pts.push((rr * Math.cos(a)).toFixed(2) + " " + (rr * Math.sin(a)).toFixed(2));
    }
    return "M" + pts.join("L") + "Z";
  }

  function shapeSvg(info, r) {
    var s = Math.ceil(r * 1.5) + 2;
    return '<svg width="' + 2 * s + '" height="' + 2 * s + '" viewBox="' + -s + " " + -s + " " + 2 * s + " " + 2 * s +
      '" aria-hidden="true" focusable="false"><path class="shape" d="' + shapePath(info.shape, r) + '" fill="' +
      info.color + '"/></svg>';
  }

  function pointKey(lat, lon) {
    return lat.toFixed(5) + "," + lon.toFixed(5);
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

  function ringPx(n) {
    if (n < 2) return 0;
    if (n <= 10) return MARKER_PX * (1.6 + n * 0.25);
    return 1.6 * MARKER_PX * Math.sqrt(n - 0.5);
  }

  function agentName(a) {
    return a.props.name || "Điểm hỗ trợ";
  }

  function drawAgents(fc) {
    var groups = {};
    var counts = {};
    (fc.features || []).forEach(function (f, i) {
      var g = f.geometry;
      if (!g || g.type !== "Point" || !g.coordinates) return;
      var lon = num(g.coordinates[0]), lat = num(g.coordinates[1]);
      if (lon === null || lat === null) return;
      var props = f.properties || {};
      var a = { id: String(props.id != null ? props.id : i), props: props, lat: lat, lon: lon, dx: 0, dy: 0 };
      (groups[pointKey(lat, lon)] = groups[pointKey(lat, lon)] || []).push(a);
      counts[props.type] = (counts[props.type] || 0) + 1;
      agents.push(a);
    });
    // Agents placed at the same point (several offices at one ward's centre) are spread on a ring,
    // in screen pixels, so that each stays visible and clickable at every zoom.
    Object.keys(groups).forEach(function (key) {
      var g = groups[key];
      var offsets = spreadOffsets(g.length);
      g.forEach(function (a, i) { a.dx = offsets[i][0]; a.dy = offsets[i][1]; });
    });
    var size = Math.ceil(MARKER_PX * 1.5) + 2;
    agents.forEach(function (a) {
      var info = typeInfo(a.props.type);
      var approx = a.props.location_accuracy === "ward" ? ", vị trí gần đúng" : "";
      var icon = L.divIcon({
        className: "agent", html: shapeSvg(info, MARKER_PX),
        iconSize: [2 * size, 2 * size], iconAnchor: [size - a.dx, size - a.dy]
      });
      // The rarer a type, the higher its markers: branches and reception points stay on top.
      var marker = L.marker([a.lat, a.lon], { icon: icon, keyboard: true, title: agentName(a), riseOnHover: true,
        zIndexOffset: 100000 - (counts[a.props.type] || 0) * 100 });
      marker.on("click", function () { showAgent(a, false); });
      marker.addTo(map);
      var el = marker.getElement();
      el.dataset.id = a.id;
      el.dataset.type = a.props.type || "";
      el.setAttribute("aria-label", agentName(a) + ", " + info.label + approx);
      el.addEventListener("keydown", function (evt) {
        if (evt.key === "Enter" || evt.key === " ") {
          evt.preventDefault();
          evt.stopPropagation();
          showAgent(a, true);
        }
      });
      a.marker = marker;
      a.el = el;
    });
    return { groups: groups, counts: counts };
  }

  function agentById(id) {
    if (id === null || id === undefined) return null;
    for (var i = 0; i < agents.length; i++) if (agents[i].id === String(id)) return agents[i];
    return null;
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
      return services[code] || code.replace(/_/g, " ");
    }).join(", ");
  }

  function agentButton(a, extra) {
    var b = html("button", agentName(a) + (extra || ""), "link-button");
    b.type = "button";
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
    addRow(dl, "Loại", p.type_label || typeInfo(p.type).label);
    addRow(dl, "Địa chỉ", p.address);
    if (p.phone) {
      var tel = html("a", p.phone);
      tel.href = "tel:" + String(p.phone).replace(/[^0-9+]/g, "");
      addRow(dl, "Điện thoại", tel);
    }
    addRow(dl, "Giờ làm việc", p.opening_hours || "Chưa có thông tin, nên gọi điện hỏi trước khi đến.");
    addRow(dl, "Dịch vụ", serviceText(p.services));
    var w = findWard(p.ward_code || "");
    addRow(dl, "Phường, xã", p.ward_name || (w ? w.fullName : ""));
    if (p.location_accuracy === "ward") {
      addRow(dl, "Vị trí", "Vị trí gần đúng: đặt ở giữa phường, xã, không phải đúng địa chỉ.", "approx");
    } else if (p.location_accuracy === "exact") {
      addRow(dl, "Vị trí", "Đúng địa chỉ.");
    }
    addRow(dl, "Nguồn", p.source);
    detailsBody.appendChild(dl);
    if (centre) {
      map.setView([a.lat, a.lon], Math.max(map.getZoom(), map.getBoundsZoom(fullBounds) + 3), { animate: animate });
    }
    detailsBox.dataset.agentId = a.id;
    detailsBox.dataset.wardCode = "";
  }

  function showWard(w) {
    var p = w.props;
    clearDetails(w.fullName);
    var dl = html("dl");
    var km = num(p.coverage_km);
    addRow(dl, "Mức phủ", coverage[coverageClass(p)].label);
    var nearest = agentById(p.nearest_agent_id);
    var nearestName = nearest ? agentName(nearest) : p.nearest_agent_name;
    if (km !== null) {
      addRow(dl, "Điểm hỗ trợ gần nhất", approxKm(km, true) + " từ giữa phường, xã (đường chim bay)" +
        (nearestName ? ": " + nearestName : ""));
    }
    var inside = agentsInWard(w);
    addRow(dl, "Số điểm hỗ trợ trong phường, xã", String(inside.length));
    detailsBody.appendChild(dl);
    if (inside.length) {
      var ul = html("ul", null, "agent-list");
      inside.forEach(function (a) {
        var li = html("li");
        li.appendChild(agentButton(a, " (" + (a.props.type_label || typeInfo(a.props.type).label) + ")"));
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
    w.layer.bringToFront(); // its thick outline is not covered by the neighbours'
    if (zoom) map.fitBounds(w.layer.getBounds(), { padding: [40, 40], maxZoom: 16, animate: animate });
    showWard(w);
  }

  // ---------------------------------------------------------------- search (on the server)
  function showResults(list, current) {
    resultsList.textContent = "";
    list.slice(0, 12).forEach(function (w) {
      var li = html("li");
      var b = html("button", w.fullName);
      b.type = "button";
      b.dataset.code = w.code;
      if (w === current) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () { pick(w, list); });
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

  function wardsOf(items) {
    var out = [];
    (items || []).forEach(function (c) {
      var w = findWard(c.code);
      if (w && out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }

  /* A whole name, an old name or an address goes to /wards/resolve (the gazetteer the bot uses);
   * when it names nothing, /wards/search lists the wards whose name starts with what was typed. */
  function search(q) {
    q = (q || "").trim();
    if (!q) {
      searchStatus.classList.add("error");
      searchStatus.textContent = "Hãy gõ tên phường, xã cần tìm.";
      return Promise.resolve();
    }
    searchStatus.classList.remove("error");
    searchStatus.textContent = "Đang tìm…";
    var qs = "?q=" + encodeURIComponent(q);
    return lookup("/wards/resolve" + qs).then(function (res) {
      if (res) {
        var found = wardsOf(res.candidates);
        if (!found.length) return notFound(q);
        pick(found[0], found);
        if (res.via_old_name) {
          var old = res.old_name || q;
          searchStatus.textContent = found.length > 1
            ? "Tên cũ “" + old + "” nay thuộc " + found.length + " phường, xã. Đang hiện " + found[0].fullName +
              "; bấm tên khác bên dưới để xem."
            : "Tên cũ “" + old + "” nay thuộc " + found[0].fullName + ".";
        } else if (found.length > 1) {
          searchStatus.textContent = "“" + q + "” có thể là " + found.length + " phường, xã. Đang hiện " +
            found[0].fullName + "; bấm tên khác bên dưới để xem.";
        }
        return null;
      }
      return getJson("/wards/search" + qs).then(function (data) {
        var list = wardsOf(data.items);
        if (!list.length) return notFound(q);
        if (list.length === 1) return pick(list[0], list);
        searchStatus.textContent = "Có " + list.length + " phường, xã khớp với “" + q + "”. Hãy chọn một.";
        showResults(list, null);
        return null;
      });
    }).catch(function () {
      resultsList.textContent = "";
      searchStatus.classList.add("error");
      searchStatus.textContent = "Chưa tìm được, vui lòng thử lại sau ít phút.";
    });
  }

  document.getElementById("search-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    if (map) search(searchInput.value);
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
    if (evt.key === "ArrowRight" || evt.key === "ArrowDown") {
      evt.preventDefault();
      buttons[Math.min(i + 1, buttons.length - 1)].focus();
    }
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

  function drawLegends(counts) {
    var cov = document.getElementById("legend-coverage");
    cov.textContent = "";
    Object.keys(coverage).forEach(function (k) {
      var sw = html("span", null, "swatch");
      sw.style.background = coverage[k].color;
      legendItem(cov, sw, coverage[k].label);
    });
    var list = document.getElementById("legend-agents");
    list.textContent = "";
    var keys = Object.keys(types).concat(Object.keys(counts).filter(function (k) { return !types[k]; }));
    keys.forEach(function (k) {
      if (!counts[k]) return; // only what is on the map
      var icon = html("span", null, "legend-icon");
      icon.innerHTML = shapeSvg(typeInfo(k), MARKER_PX);
      legendItem(list, icon, typeInfo(k).label + " (" + counts[k] + ")");
    });
  }

  function summarise() {
    var covered = wards.filter(function (w) { return coverageClass(w.props) === "covered"; }).length;
    document.getElementById("summary").textContent = wards.length + " phường, xã; " + agents.length +
      " điểm hỗ trợ; " + covered + " phường, xã có điểm hỗ trợ trong vòng " +
      String(config.radius_km).replace(".", ",") + " km.";
  }

  // ---------------------------------------------------------------- links from the bot
  function showHere(lat, lon) {
    if (hereMarker) map.removeLayer(hereMarker);
    hereMarker = L.marker([lat, lon], {
      pane: "here", keyboard: false, interactive: false, title: "Vị trí của anh chị",
      icon: L.divIcon({ className: "here-marker", iconSize: [24, 36], iconAnchor: [12, 36],
        html: '<svg width="24" height="36" viewBox="-12 -35 24 36" role="img" aria-label="Vị trí của anh chị">' +
          '<path class="here" d="M0 0L-10 -20A11.5 11.5 0 1 1 10 -20Z"/><circle cx="0" cy="-24" r="4" fill="#fff"/></svg>' })
    }).addTo(map);
    map.setView([lat, lon], map.getBoundsZoom(fullBounds) + 3, { animate: animate });
    clearDetails("Vị trí của anh chị");
    detailsBody.appendChild(html("p", "Đang tìm điểm hỗ trợ gần vị trí của anh chị…"));
    return getJson("/agents/nearest?k=3&lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon))
      .then(function (res) {
        var origin = res.origin || {};
        var w = origin.ward ? findWard(origin.ward.code) : null;
        if (w) selectWard(w, false);
        else clearDetails("Vị trí của anh chị");
        // What the person asked for comes first: where they are and the nearest agents; the ward after.
        var top = document.createDocumentFragment();
        top.appendChild(html("p", w ? "Vị trí anh chị gửi nằm trong " + w.fullName + "."
          : "Vị trí anh chị gửi nằm ngoài các phường, xã của Hà Nội."));
        var near = res.agents || [];
        if (near.length) {
          top.appendChild(html("h3", "Điểm hỗ trợ gần vị trí của anh chị"));
          var ul = html("ul", null, "agent-list");
          near.forEach(function (n) {
            var li = html("li");
            var a = agentById(n.id);
            var extra = ", " + approxKm(n.distance_km, false) + (n.location_accuracy === "ward" ? " (vị trí gần đúng)" : "");
            li.appendChild(a ? agentButton(a, extra) : html("span", (n.name || "Điểm hỗ trợ") + extra));
            ul.appendChild(li);
          });
          top.appendChild(ul);
          if (!res.any_within_radius) {
            top.appendChild(html("p", "Không có điểm nào trong vòng " + String(res.radius_km).replace(".", ",") +
              " km; trên đây là các điểm gần nhất.", "approx"));
          }
          if (w) top.appendChild(html("h3", "Về " + w.fullName));
        }
        detailsBody.insertBefore(top, detailsBody.firstChild);
      })
      .catch(function () {
        clearDetails("Vị trí của anh chị");
        detailsBody.appendChild(html("p", "Chưa tìm được điểm hỗ trợ gần vị trí này, vui lòng thử lại sau ít phút.",
          "approx"));
      });
  }

  function applyUrl() {
    var params = new URLSearchParams(window.location.search);
    var lat = num(params.get("lat")), lon = num(params.get("lon") || params.get("lng"));
    var code = params.get("ward");
    var agentId = params.get("agent");
    var q = params.get("q");
    var done = Promise.resolve();
    if (lat !== null && lon !== null && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
      done = showHere(lat, lon);
    } else if (code) {
      var w = findWard(code);
      if (w) selectWard(w, true);
      else loadStatus.textContent = "Không có phường, xã mã " + code + " trên bản đồ.";
    } else if (q) {
      searchInput.value = q;
      done = search(q);
    }
    if (agentId) {
      var a = agentById(agentId);
      if (a) done = done.then(function () { showAgent(a, true); });
    }
    return done;
  }

  // ---------------------------------------------------------------- start
  function fail(err) {
    loadStatus.classList.add("error");
    loadStatus.textContent = "Không tải được dữ liệu bản đồ. Vui lòng tải lại trang sau ít phút.";
    document.body.dataset.ready = "error";
    document.body.dataset.error = String((err && err.stack) || err);
    if (window.console) console.warn("dvcbot map:", err);
  }

  if (!window.L) {
    fail(new Error("Leaflet was not loaded"));
    return;
  }
  getJson("/map/config")
    .then(function (cfg) {
      applyConfig(cfg);
      createMap();
      return Promise.all([getJson("/wards.geojson"), getJson("/agents.geojson")]);
    })
    .then(function (res) {
      drawWards(res[0]);
      var drawn = drawAgents(res[1]);
      drawLabels(drawn.groups);
      onZoom();
      drawLegends(drawn.counts);
      summarise();
      loadStatus.textContent = "";
      document.body.dataset.wardCount = String(wards.length);
      document.body.dataset.agentCount = String(agents.length);
      return applyUrl();
    })
    .then(function () {
      animate = true;
      document.body.dataset.ready = "1";
    })
    .catch(fail);
})();
