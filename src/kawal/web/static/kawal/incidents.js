// kawal incident form: fills the time, adds the GPS position when asked, and shows a receipt of what was saved
// and whether it has left the phone. field.js does the queueing (IndexedDB, client ids, photos first).
(function () {
  "use strict";

  function localNow() {
    const d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16); // YYYY-MM-DDTHH:MM in the phone's local time
  }

  function fillTime(form) {
    const when = form.querySelector('[name="incident_at"]');
    if (when && !when.value) when.value = localNow();
  }

  function summary(form) {
    const lines = [];
    const category = form.querySelector('[name="category"]:checked');
    if (category) lines.push(category.closest("label").textContent.trim());
    const kelurahan = form.querySelector('[name="kode_kelurahan"]');
    const tps = form.querySelector('[name="tps"]').value;
    if (kelurahan && kelurahan.selectedOptions.length) {
      lines.push(kelurahan.selectedOptions[0].textContent + (tps ? ` · TPS ${tps}` : ""));
    }
    const when = form.querySelector('[name="incident_at"]').value;
    if (when) lines.push(when.replace("T", " "));
    let files = 0;
    form.querySelectorAll("input[type=file]").forEach((input) => (files += input.files.length));
    if (files) lines.push(`${files} ${form.dataset.filesText || "berkas bukti"}`);
    return lines;
  }

  function showReceipt(lines) {
    const box = document.getElementById("receipt");
    if (!box) return;
    box.querySelector("[data-summary]").replaceChildren(
      ...lines.map((text) => Object.assign(document.createElement("li"), { textContent: text }))
    );
    box.hidden = false;
    updateState();
    box.scrollIntoView({ block: "start" });
  }

  function updateState() {
    const box = document.getElementById("receipt");
    const queue = document.getElementById("queue-status");
    if (!box || box.hidden || !queue) return;
    const waiting = Number(queue.dataset.waiting || "0");
    box.dataset.sent = waiting === 0 ? "true" : "false";
    box.querySelector("[data-state]").textContent = waiting === 0 ? box.dataset.sentText : box.dataset.waitingText;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("incident");
    if (!form) return;
    fillTime(form);
    // Runs before field.js's own submit handler (capture phase): read the form before it is reset.
    document.addEventListener(
      "submit",
      (event) => {
        if (event.target !== form) return;
        const missing = [...form.querySelectorAll("[required]")].find((input) =>
          input.type === "radio" ? !form.querySelector(`[name="${input.name}"]:checked`) : !input.value.trim()
        );
        if (missing) {
          event.preventDefault();
          event.stopImmediatePropagation();
          missing.focus();
          missing.reportValidity && missing.reportValidity();
          return;
        }
        showReceipt(summary(form));
      },
      true
    );
    form.addEventListener("reset", () => setTimeout(() => fillTime(form), 0));
    const queue = document.getElementById("queue-status");
    if (queue) new MutationObserver(updateState).observe(queue, { attributes: true, attributeFilter: ["data-waiting"] });
    const gps = form.querySelector("[data-gps]");
    if (gps) {
      gps.addEventListener("click", () => {
        if (!navigator.geolocation) {
          gps.textContent = gps.dataset.failText;
          return;
        }
        navigator.geolocation.getCurrentPosition(
          (position) => {
            form.querySelector('[name="latitude"]').value = String(position.coords.latitude);
            form.querySelector('[name="longitude"]').value = String(position.coords.longitude);
            gps.textContent = gps.dataset.doneText;
          },
          () => (gps.textContent = gps.dataset.failText),
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 300000 }
        );
      });
    }
  });
})();
