// Which time-zone options match what someone typed (static/js/zone-picker.js). No DOM: the
// labels are the server's ("UTC+08:00 · 上海 (中国) · Asia/Shanghai"); this only compares.

// Lower case, accents off, "_" read as a space: "sao paulo" finds "São Paulo" and
// "America/Sao_Paulo".
export function foldZoneText(text) {
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replaceAll("_", " ")
    .toLowerCase();
}

// Every word typed must appear in the label or the value: "lima peru", "utc+08", "上海".
export function zoneMatches(query, label, value = "") {
  const words = foldZoneText(query).split(/\s+/).filter(Boolean);
  const text = `${foldZoneText(label)} ${foldZoneText(value)}`;
  return words.every((word) => text.includes(word));
}
