// /privacy, /cookies, /toegankelijkheid: what every Flemish government site publishes. No sign-in.
import { h, header } from "/assets/app.js";

const main = document.querySelector("main");

const PAGES = {
  privacy: ["Privacy", [
    h("p", {}, "Zelfregistratie van het Gebruikersbeheer van de Vlaamse overheid verwerkt uw gegevens om uw aanvraag voor een gebruikersrecht of werkrelatie bij de lokale beheerders van uw organisatie te brengen, en om bij te houden welke rechten u heeft."),
    h("h2", {}, "Welke gegevens"),
    h("ul", {},
      h("li", {}, "uw naam en uw identificatie, zoals uw eID of digitale sleutel ze doorgeeft bij het aanmelden;"),
      h("li", {}, "het telefoonnummer en e-mailadres dat u opgeeft, en de reden van uw aanvraag;"),
      h("li", {}, "uw aanvragen, de beslissingen erover, uw werkrelaties en gebruikersrechten, en wie wat wijzigde.")),
    h("h2", {}, "Wie ziet ze"),
    h("p", {}, "De lokale beheerders van de organisatie waarvoor u een aanvraag doet. De toepassingen waarvoor u een gebruikersrecht krijgt, krijgen te weten dat u het heeft."),
    h("h2", {}, "Hoe lang"),
    h("p", {}, "Afgesloten aanvragen, beëindigde rechten en werkrelaties en het logboek worden twee jaar na hun einde gewist."),
    h("h2", {}, "Uw rechten"),
    h("p", {}, "U kunt alles wat over u bewaard wordt downloaden in ", h("a", { href: "/user/profiel" }, "Mijn profiel"),
      ". Voor verbetering, wissing of vragen: bel gratis 1700 of contacteer de functionaris voor gegevensbescherming van de Vlaamse overheid."),
  ]],
  cookies: ["Cookies", [
    h("p", {}, "Zelfregistratie gebruikt geen cookies: geen analytische, geen advertentie- en ook geen functionele cookies."),
    h("p", {}, "Wanneer u zich aanmeldt, bewaart uw browser uw aanmelding alleen in dit tabblad (sessionStorage). Sluit u het tabblad of klikt u op Afmelden, dan is ze weg."),
  ]],
  toegankelijkheid: ["Toegankelijkheidsverklaring", [
    h("p", {}, "De Vlaamse overheid wil haar websites en toepassingen toegankelijk maken voor iedereen, zoals het decreet van 7 december 2018 over de toegankelijkheid van websites en mobiele applicaties van overheidsinstanties vraagt."),
    h("h2", {}, "Nalevingsstatus"),
    h("p", {}, "Zelfregistratie voldoet gedeeltelijk aan de Web Content Accessibility Guidelines (WCAG) 2.1, niveau AA. De bekende afwijkingen staan hieronder."),
    h("h2", {}, "Hoe we het testen"),
    h("ul", {},
      h("li", {}, "Bij elke wijziging controleert een automatische test (axe-core) elke pagina en elke toestand: formulier, samenvatting, foutmeldingen, weigeringen, dialogen. Die test faalt bij elke ernstige of kritieke bevinding."),
      h("li", {}, "Een test vult het aanvraagformulier volledig met het toetsenbord in; dialogen openen, sluiten (Escape) en geven de focus terug."),
      h("li", {}, "De pagina's worden getest op een schermbreedte van 1280 en van 390 pixels.")),
    h("h2", {}, "Bekende afwijkingen"),
    h("ul", {},
      h("li", {}, "Er is nog geen test met schermlezers door mensen die ze dagelijks gebruiken; wat een automatische test niet ziet, kan dus nog ontbreken."),
      h("li", {}, "De aanmeldpagina van de aanmeldingsdienst valt buiten deze toepassing."),
      h("li", {}, "Datumvelden gebruiken het datumvak van de browser; de weergave ervan verschilt per browser.")),
    h("h2", {}, "Feedback"),
    h("p", {}, "Loopt u vast of mist u iets? Bel gratis 1700 of meld het via het contactformulier van de Vlaamse overheid. We antwoorden binnen vijf werkdagen."),
    h("p", {}, "Deze verklaring werd opgesteld op 29 november 2026."),
  ]],
  "niet-gevonden": ["Pagina niet gevonden", [
    h("p", {}, "Deze pagina bestaat niet (meer). Misschien is de link onvolledig of verkeerd overgenomen."),
    h("ul", {},
      h("li", {}, h("a", { href: "/" }, "Naar de startpagina van Zelfregistratie")),
      h("li", {}, h("a", { href: "/user/aanvragen" }, "Naar Mijn aanvragen")),
      h("li", {}, h("a", { href: "/hulp/lokale-beheerder" }, "Hoe een organisatie een lokale beheerder aanstelt"))),
    h("p", {}, "Vragen? Bel gratis 1700."),
  ]],
};

const [title, body] = PAGES[main.dataset.page];
header(title);
main.replaceChildren(h("h1", {}, title), ...body);
