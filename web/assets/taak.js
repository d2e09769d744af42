// /beheer/taken/{id}: the seed's "Zelfregistratie Details", written for the administrator, with
// Keur goed, Keur af and the way back to Mijn taken.
import { announce, api, ApiError, datum, h, header, orgCode, signIn, STATUS } from "/assets/app.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const taskId = decodeURIComponent(location.pathname.split("/").pop());

function details(task) {
  const rows = [
    ["Aanvraagnummer", task.number],
    ["Aanvrager", task.requester.name],
    ...(task.application ? [["Aangevraagd voor toepassing", task.application.name]] : []),
    ["Organisatie of onderneming", `${orgCode(task.organization.code)} (${task.organization.name ?? ""})`],
    task.right ? ["Gevraagd gebruikersrecht", task.right.name] : ["Gevraagd", "Een werkrelatie met de organisatie"],
    ...(task.renewal ? [["Soort aanvraag", "Verlenging van een recht dat binnenkort vervalt"]] : []),
    ...(task.rightDescription ? [["Wat dit recht toelaat", task.rightDescription]] : []),
    ["E-mailadres", task.email],
    ["Telefoonnummer", task.phone],
    ...(task.beginDate ? [["Begindatum", datum(task.beginDate)], ["Einddatum", datum(task.endDate)]] : []),
    ["Contextwaarden", task.context || "—"],
    ["Reden van de aanvraag", task.reason || "—"],
    ["Status", STATUS[task.status] ?? task.status],
  ];
  return h("dl", { class: "summary" }, ...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

function holdings(task) {
  const { workRelationship, grants } = task.requesterHolds;
  return h("section", { class: "panel", "aria-labelledby": "holds-title" },
    h("h2", { id: "holds-title" }, `Wat ${task.requester.name} al heeft bij ${task.organization.name ?? orgCode(task.organization.code)}`),
    h("p", {}, workRelationship ? `Werkrelatie sinds ${datum(workRelationship.since)}.` : "Nog geen werkrelatie: goedkeuren maakt er een aan."),
    grants.length
      ? h("ul", {}, ...grants.map((g) => h("li", {}, g.right.name, g.context ? ` (${g.context})` : "", `, tot en met ${datum(g.end)}`)))
      : h("p", {}, "Nog geen gebruikersrechten."));
}

function history(task) {
  const label = { filed: "Ingediend", approved: "Goedgekeurd", rejected: "Afgekeurd", cancelled: "Ingetrokken", expired: "Vervallen" };
  return h("ol", { class: "history" }, ...task.history.map((entry) =>
    h("li", {}, `${label[entry.event] ?? entry.event} op ${datum(entry.at)} door ${entry.by.name}`,
      entry.reason && entry.event !== "filed" ? ` — reden: "${entry.reason}"` : "")));
}

function decidedNotice(task) {
  const outcome = task.decision.outcome === "approved" ? "goedgekeurd" : "afgekeurd";
  announce(messages, "warning", "Deze aanvraag is al behandeld",
    `${task.decision.by.name} heeft deze aanvraag ${outcome} op ${datum(task.decision.at)}.`,
    `Reden: "${task.decision.reason}"`);
}

function decisionForm(task, decision) {
  const approve = decision === "approve";
  const errorId = "reason-error";
  const reason = h("textarea", { id: "reason", name: "reason", required: true, maxlength: "1000", "aria-describedby": "reason-hint" });
  const endDate = approve && task.endDate
    ? h("div", { class: "field" },
        h("label", { for: "endDate" }, "Einddatum van het recht"),
        h("p", { class: "hint", id: "endDate-hint" }, `Niet verplicht. Ten laatste ${datum(task.endDate)}.`),
        h("input", { id: "endDate", name: "endDate", type: "date", min: task.beginDate, max: task.endDate, "aria-describedby": "endDate-hint" }))
    : null;
  const form = h("form", {
    class: "panel", novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      const text = reason.value.trim();
      form.querySelector(".field-error")?.remove();
      if (!text) {
        reason.setAttribute("aria-invalid", "true");
        reason.setAttribute("aria-describedby", `reason-hint ${errorId}`);
        reason.closest(".field").append(h("p", { class: "field-error", id: errorId }, "Geef een reden voor uw beslissing."));
        announce(messages, "error", "De reden is verplicht.", h("p", {}, h("a", { href: "#reason" }, "Geef een reden voor uw beslissing.")));
        return;
      }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const body = { decision, reason: text, ...(endDate && form.elements.endDate.value ? { endDate: form.elements.endDate.value } : {}) };
        const decided = await api(`/api/tasks/${encodeURIComponent(task.id)}/decision`, { method: "POST", body });
        await render();
        announce(messages, "success", approve ? "De aanvraag is goedgekeurd." : "De aanvraag is afgekeurd.",
          `${task.requester.name} krijgt een mail met uw beslissing${decided.grant ? ` (geldig tot ${datum(decided.grant.end)})` : ""}.`,
          h("p", {}, h("a", { href: "/beheer/taken" }, "Terug naar Mijn taken")));
      } catch (error) {
        button.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        if (error.code === "already_decided") {
          await render();
        } else {
          announce(messages, "error", error.problem.title || "Dat lukte niet.", error.problem.detail || "",
            ...(error.problem.errors || []).map((e) => e.message));
        }
      }
    },
  },
  h("h2", { id: "decision-title", tabindex: "-1" }, approve ? "Aanvraag goedkeuren" : "Aanvraag afkeuren"),
  h("div", { class: "field" },
    h("label", { for: "reason", class: "required" }, approve ? "Reden van goedkeuring" : "Reden van afkeuring"),
    h("p", { class: "hint", id: "reason-hint" }, "De aanvrager krijgt deze reden in de mail. Hoogstens 1000 tekens."),
    reason),
  endDate,
  h("div", { class: "buttons" },
    h("a", { class: "button secondary", href: location.pathname }, "Niet beslissen"),
    h("button", { type: "submit", class: approve ? null : "danger" }, approve ? "Bevestig goedkeuring" : "Bevestig afkeuring")));
  return form;
}

async function render() {
  const task = await api(`/api/tasks/${encodeURIComponent(taskId)}`);
  const holder = h("div");
  const choose = (decision) => {
    holder.replaceChildren(decisionForm(task, decision));
    holder.querySelector("#reason").focus();
  };
  main.replaceChildren(
    h("h1", {}, "Zelfregistratiedetails"),
    messages,
    h("section", { class: "panel", "aria-labelledby": "details-title" },
      h("h2", { id: "details-title" }, `${task.requester.name}`),
      details(task),
      task.status === "pending" && task.own
        ? h("div", {},
            h("p", { class: "notice info own" },
              "Dit is uw eigen aanvraag. Niemand beslist over zijn eigen aanvraag: een andere beheerder van ",
              task.organization.name ?? task.organization.code, " keurt ze goed of af."),
            h("div", { class: "buttons" }, h("a", { class: "button secondary", href: "/beheer/taken" }, "Terug naar Mijn taken")))
        : task.status === "pending"
        ? h("div", { class: "buttons" },
            h("a", { class: "button secondary", href: "/beheer/taken" }, "Terug naar Mijn taken"),
            h("button", { type: "button", onclick: () => choose("approve") }, "Keur goed"),
            h("button", { type: "button", class: "danger", onclick: () => choose("reject") }, "Keur af"))
        : null),
    holder,
    holdings(task),
    h("h2", {}, "Geschiedenis"),
    history(task),
  );
  if (task.decision) decidedNotice(task);
  if (task.status === "pending" && !task.own && location.hash === "#goedkeuren") choose("approve");
  if (task.status === "pending" && !task.own && location.hash === "#afkeuren") choose("reject");
}

async function start() {
  await signIn();
  await header("Zelfregistratiedetails");
  try {
    await render();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    main.replaceChildren(h("h1", {}, "Zelfregistratie details"), messages);
    announce(messages, "error", "Deze aanvraag bestaat niet of u heeft er geen toegang toe.",
      "Alleen lokale beheerders van de organisatie van de aanvraag kunnen ze bekijken.",
      h("p", {}, h("a", { href: "/beheer/taken" }, "Naar Mijn taken")));
  }
}

start();
