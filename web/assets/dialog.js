// A confirmation with a reason, in a modal <dialog>: focus moves into it, Escape cancels, and focus
// returns to the button that opened it.
import { h } from "/assets/app.js";

/** Ask to confirm `action`; resolves with {reason} when confirmed, null when cancelled. Without a
 * `reasonLabel` it asks for no reason, and focus starts on Annuleren. */
export function confirmWithReason({ title, text, confirm, reasonLabel, reasonRequired }) {
  const opener = document.activeElement;
  const reason = h("textarea", { id: "dialog-reason", name: "reason", maxlength: "1000", required: reasonRequired || null });
  const error = h("p", { class: "field-error", id: "dialog-reason-error", hidden: true }, "Geef een reden.");
  return new Promise((resolve) => {
    const dialog = h("dialog", { "aria-labelledby": "dialog-title", class: "panel" },
      h("form", { method: "dialog", novalidate: true,
        onsubmit: (event) => {
          if (event.submitter?.value !== "confirm") return;
          if (reasonRequired && !reason.value.trim()) {
            event.preventDefault();
            error.hidden = false;
            reason.setAttribute("aria-invalid", "true");
            reason.setAttribute("aria-describedby", "dialog-reason-error");
            reason.focus();
          }
        } },
      h("h2", { id: "dialog-title" }, title),
      h("p", {}, text),
      reasonLabel ? h("div", { class: "field" },
        h("label", { for: "dialog-reason", class: reasonRequired ? "required" : null }, reasonLabel), reason, error) : null,
      h("div", { class: "buttons" },
        h("button", { type: "submit", value: "confirm", class: "danger" }, confirm),
        h("button", { type: "submit", value: "cancel", class: "secondary", id: "dialog-cancel" }, "Annuleren"))));
    dialog.addEventListener("close", () => {
      const confirmed = dialog.returnValue === "confirm";
      dialog.remove();
      opener?.focus?.();
      resolve(confirmed ? { reason: reason.value.trim() || undefined } : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    (reasonLabel ? reason : dialog.querySelector("#dialog-cancel")).focus();
  });
}

/** Ask to confirm an action that needs no reason; resolves true when confirmed. */
export function confirmAction({ title, text, confirm, cancel = "Annuleren" }) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const dialog = h("dialog", { "aria-labelledby": "dialog-title", class: "panel" },
      h("form", { method: "dialog" },
        h("h2", { id: "dialog-title" }, title),
        h("p", {}, text),
        h("div", { class: "buttons" },
          h("button", { type: "submit", value: "confirm", class: "danger" }, confirm),
          h("button", { type: "submit", value: "cancel", class: "secondary", autofocus: true }, cancel))));
    dialog.addEventListener("close", () => {
      dialog.remove();
      opener?.focus?.();
      resolve(dialog.returnValue === "confirm");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
