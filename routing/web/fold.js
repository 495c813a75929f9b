/* Accent-insensitive matching of ward names for the map's search box.
 *
 * Mirrors dvcbot.textnorm.fold for place names: NFD, combining marks removed, đ -> d, lower case,
 * punctuation to spaces. People type "cau giay", "p. cau giay", "xa phuong duc" or "Cầu Giấy".
 */
(function (global) {
  "use strict";

  // Leading words that name the kind of unit, not the unit ("phường Cầu Giấy", "P. Láng", "quận Tây Hồ").
  var PREFIXES = ["phuong", "xa", "p", "x", "quan", "q", "huyen", "h", "thi tran", "tt", "thanh pho", "tp", "ha noi"];

  function fold(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  /* The folded query and, when it starts with a unit word, the query without it.
   * Both are kept: "phuong duc" is the start of the commune "Phượng Dực". */
  function queryKeys(text) {
    var q = fold(text);
    var keys = q ? [q] : [];
    var changed = true;
    var rest = q;
    while (changed) {
      changed = false;
      for (var i = 0; i < PREFIXES.length; i++) {
        var p = PREFIXES[i] + " ";
        if (rest.indexOf(p) === 0 && rest.length > p.length) {
          rest = rest.slice(p.length);
          changed = true;
        }
      }
    }
    if (rest && rest !== q) keys.push(rest);
    return keys;
  }

  /* Score of one ward for a query (0 = no match). Whole-name matches beat prefixes beat substrings. */
  function score(keys, nameKey, fullKey) {
    var best = 0;
    keys.forEach(function (k) {
      var s = 0;
      if (k === nameKey || k === fullKey) s = 100;
      else if (nameKey.indexOf(k) === 0 || fullKey.indexOf(k) === 0) s = 60;
      else if ((" " + nameKey + " ").indexOf(" " + k) >= 0) s = 40;
      else if (nameKey.indexOf(k) >= 0 || fullKey.indexOf(k) >= 0) s = 20;
      if (s > best) best = s;
    });
    return best;
  }

  global.DvcFold = { fold: fold, queryKeys: queryKeys, score: score };
})(window);
