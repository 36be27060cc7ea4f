// kawal C.Hasil form: the consistency rules of kawal.engine.results.rules, shown live while the witness types.
// A form that breaks them is still saved and sent (the paper is the evidence); the server checks again.
(function () {
  "use strict";
  const PAIRED = ["dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total", "pemilih_disabilitas"];

  function reader(form) {
    return (name) => {
      const input = form.querySelector(`[name="${name}"]`);
      if (!input || input.value.trim() === "") return null;
      const text = input.value.trim();
      return /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN; // what the server accepts: plain digits only
    };
  }

  // The election's limits come from the page (data-max-per-tps, data-reserve-num/-den): never hard-coded here.
  // The reserve is a fraction so the rounding up per TPS is exact, as on the server: ⌈dpt × num / den⌉.
  function limits(form) {
    const d = form.dataset;
    return {
      maxPerTps: Number(d.maxPerTps),
      reserve: (dpt) => Math.floor((dpt * Number(d.reserveNum) + Number(d.reserveDen) - 1) / Number(d.reserveDen)),
      reserveText: d.reserveText || "",
    };
  }

  function check(form) {
    const v = reader(form);
    const paslon = Number(form.dataset.paslon || 0);
    const rules = limits(form);
    const out = [];
    const all = (...xs) => xs.every((x) => x !== null && !Number.isNaN(x));
    const votes = Array.from({ length: paslon }, (_, i) => v(`suara_paslon_${i + 1}`));
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    if (paslon && all(...votes, v("suara_sah")) && sum(votes) !== v("suara_sah"))
      out.push(`PASLON_NE_SAH: Σ paslon ${sum(votes)} ≠ suara sah ${v("suara_sah")}`);
    if (all(v("suara_sah"), v("suara_tidak_sah"), v("suara_sah_dan_tidak_sah")) && v("suara_sah") + v("suara_tidak_sah") !== v("suara_sah_dan_tidak_sah"))
      out.push("SAH_TIDAK_SAH_NE_TOTAL: V.A + V.B ≠ V.C");
    if (all(v("pengguna_dpt"), v("pengguna_dptb"), v("pengguna_dpk"), v("pengguna_total")) && v("pengguna_dpt") + v("pengguna_dptb") + v("pengguna_dpk") !== v("pengguna_total"))
      out.push("PENGGUNA_NE_RINCIAN: DPT + DPTb + DPK ≠ jumlah");
    if (all(v("pengguna_total"), v("suara_sah_dan_tidak_sah")) && v("pengguna_total") !== v("suara_sah_dan_tidak_sah"))
      out.push("PENGGUNA_NE_SUARA: pengguna ≠ suara sah dan tidak sah");
    if (all(v("pengguna_dpt"), v("dpt")) && v("pengguna_dpt") > v("dpt")) out.push("PENGGUNA_DPT_GT_DPT: pengguna DPT > DPT");
    if (all(v("dpt")) && v("dpt") > rules.maxPerTps) out.push(`DPT_GT_MAKS: DPT > ${rules.maxPerTps}`);
    const ballots = ["surat_suara_diterima", "surat_suara_digunakan", "surat_suara_dikembalikan", "surat_suara_tidak_digunakan"].map(v);
    if (all(...ballots) && ballots[0] !== ballots[1] + ballots[2] + ballots[3]) out.push("SURAT_SUARA_NE: II.1 ≠ II.2 + II.3 + II.4");
    if (all(v("surat_suara_digunakan"), v("pengguna_total")) && v("surat_suara_digunakan") !== v("pengguna_total"))
      out.push("DIGUNAKAN_NE_PENGGUNA: surat suara digunakan ≠ pengguna");
    if (all(v("pemilih_disabilitas"), v("pengguna_total")) && v("pemilih_disabilitas") > v("pengguna_total"))
      out.push("DISABILITAS_GT_PENGGUNA: disabilitas > pengguna");
    if (all(v("suara_sah_dan_tidak_sah"), v("dpt")) && v("suara_sah_dan_tidak_sah") > v("dpt") + rules.reserve(v("dpt")))
      out.push(`SUARA_GT_DPT: suara > DPT + cadangan ${rules.reserveText} (${v("dpt") + rules.reserve(v("dpt"))})`);
    for (const base of PAIRED) {
      if (all(v(base), v(`${base}_l`), v(`${base}_p`)) && v(`${base}_l`) + v(`${base}_p`) !== v(base))
        out.push(`LP_NE_JUMLAH: ${base} L + P ≠ jumlah`);
    }
    form.querySelectorAll("input[inputmode=numeric]").forEach((input) => {
      input.classList.toggle("invalid", input.value.trim() !== "" && Number.isNaN(v(input.name)));
    });
    return out;
  }

  function show(form) {
    const box = document.getElementById("flags");
    const problems = check(form);
    box.hidden = problems.length === 0;
    box.dataset.count = String(problems.length);
    box.querySelector("ul").replaceChildren(...problems.map((p) => Object.assign(document.createElement("li"), { textContent: p })));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form.chasil");
    if (!form) return;
    form.addEventListener("input", () => show(form));
    form.addEventListener("reset", () => setTimeout(() => show(form), 0));
  });
})();
