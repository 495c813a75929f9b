// Draws the dashboard charts from /console/dashboard/data (Chart.js is vendored, no internet needed).
document.addEventListener("DOMContentLoaded", async () => {
  const res = await fetch("/console/dashboard/data", { credentials: "same-origin" });
  if (!res.ok) return;
  const d = await res.json();
  const colours = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#7f7f7f"];
  const perDay = document.getElementById("chart-per-day");
  new Chart(perDay, {
    type: "bar",
    data: {
      labels: d.days,
      datasets: Object.keys(d.categories).map((k, i) => ({
        label: d.categories[k], data: d.per_day[k], backgroundColor: colours[i % colours.length] })),
    },
    options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });
  const channels = Object.keys(d.satisfaction_by_channel);
  new Chart(document.getElementById("chart-satisfaction"), {
    type: "bar",
    data: {
      labels: channels,
      datasets: [
        { label: "Tỉ lệ hài lòng (%)", data: channels.map((c) => 100 * d.satisfaction_by_channel[c].rate),
          backgroundColor: "#2ca02c" },
        { label: "Mục tiêu (%)", data: channels.map(() => 100 * d.target), type: "line", borderColor: "#d62728" },
      ],
    },
    options: { animation: false, scales: { y: { beginAtZero: true, max: 100 } } },
  });
  document.body.dataset.chartsReady = "1";
});
