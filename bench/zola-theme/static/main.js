// Minimal script: copy buttons on code blocks (comparable to a small theme script).
document.querySelectorAll("pre").forEach((pre) => {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = document.documentElement.lang === "fr" ? "Copier" : "Copy";
  b.addEventListener("click", () => navigator.clipboard.writeText(pre.innerText));
  pre.before(b);
});
