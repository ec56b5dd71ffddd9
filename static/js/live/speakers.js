// The speakers of the agenda item running now, with their photos, built with DOM calls only
// (names and titles are organisers' text: never parsed as HTML).
import { h } from "./dom.js";
import { localText, pickText } from "./local-text.js";

/** The alt text of a speaker's photo: "Name, title" in the page's language. */
export function speakerAlt(speaker, language) {
  const title = localText(speaker.title, language).trim();
  const name = (speaker.name || "").trim();
  return name && title ? `${name}, ${title}` : name || title;
}

/** The speakers of item `itemId` in `agenda` (`[]` when none or no item runs). */
export function currentSpeakers(agenda, itemId) {
  if (itemId === null || itemId === undefined) return [];
  const item = (agenda || []).find((entry) => entry.id === itemId);
  return item ? item.speakers || [] : [];
}

/** One `<li>` per speaker: the photo (only a same-site `/media/` URL), name and title. */
export function speakerItems(speakers, language) {
  return speakers.map((speaker) => {
    const photo = typeof speaker.photo === "string" && speaker.photo.startsWith("/media/")
      ? h("img", { class: "presenter-speaker-photo", src: speaker.photo,
        alt: speakerAlt(speaker, language), width: 96, height: 96 })
      : null;
    const title = pickText(speaker.title, language);
    const titleNode = title.text
      ? h("span", { class: "presenter-speaker-title",
        lang: title.lang && title.lang !== language ? title.lang.replace("_", "-") : null,
        text: title.text })
      : null;
    return h("li", { class: "presenter-speaker", dataset: { speakerId: String(speaker.id) } }, [
      photo,
      h("span", { class: "presenter-speaker-text" }, [
        h("span", { class: "presenter-speaker-name", text: speaker.name }), titleNode,
      ]),
    ]);
  });
}
