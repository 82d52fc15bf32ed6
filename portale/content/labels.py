"""The Italian label and hint of every front-matter key an editor fills in, by kind.

One text, three readers: `build.py new` writes the hint as the comment beside each key (editors/scaffold.py), the
web editor shows the label and the hint on each field (cms/config.py), and the JSON Schemas carry them as `title`
and `description` (cms/jsonschema.py), which the VS Code YAML extension shows on hover. A nested key is dotted
(`consenso.data`); the keys of a list's items are dotted under the list (`partecipanti.chi`).
tests/test_cms.py checks that every key of schema.BY_KIND and schema.PAROLE has its label here.
"""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    label: str
    hint: str


CATEGORY_HINT = "facoltativa: terzo-settore, scuola, commercio, impresa, abitanti, istituzione"
TAG_HINT = "parole chiave dal dizionario content/parole.yml, es. [{}]"
SUMMARY_HINT = "una o due frasi per gli elenchi (al massimo 300 caratteri)"


def _video(where: str, consent: str) -> dict[str, Label]:
    """The video group's labels, for a text kept `where`; `consent`: what the people in it must have agreed to."""
    return {
        "video": Label(
            "Video",
            f"facoltativo, in una {where}: {{file: intervista.mp4, sottotitoli: intervista.vtt}}, "
            f"oppure {{url: https://..., titolo: ...}} per un video su un altro sito{consent}",
        ),
        "video.file": Label("File video", "MP4 (H.264 e AAC) o WebM, nella cartella accanto al testo"),
        "video.sottotitoli": Label(
            "Sottotitoli", "obbligatori con il file: i sottotitoli WebVTT (.vtt), fatti per esempio con Subtitle Edit"
        ),
        "video.poster": Label("Immagine di copertina", "facoltativa: la foto mostrata prima di avviare il video"),
        "video.trascrizione": Label(
            "Trascrizione",
            "facoltativa: il testo detto, con i tempi [00:03:15] e le parole chiave {tag: lana}; "
            "senza, l'indice si fa dai sottotitoli",
        ),
        "video.persone": Label("Chi parla nel video", "i nomi dei file in persone/ di chi si vede o si sente"),
        "video.url": Label("Indirizzo del video", "solo per un video su un altro sito: https://..."),
        "video.titolo": Label("Titolo del video", "con l'indirizzo: il titolo del video, mostrato come link"),
    }


def _image(where: str, extra: str = "") -> dict[str, Label]:
    """The image group's labels, for a text kept `where`."""
    return {
        "immagine": Label(
            "Immagine", f"facoltativa, in una {where}: {{file: foto.jpg, alt: cosa si vede nella foto}}{extra}"
        ),
        "immagine.file": Label("File dell'immagine", "la foto, JPEG, PNG o WebP, nella cartella accanto al testo"),
        "immagine.alt": Label(
            "Descrizione dell'immagine",
            "che cosa si vede, per chi non vede la foto (obbligatoria con l'immagine, al massimo 300 caratteri)",
        ),
    }


LABELS: dict[str, dict[str, Label]] = {
    "storia": {
        "titolo": Label("Titolo", "il titolo della storia"),
        "data": Label("Data", "la data della storia, AAAA-MM-GG"),
        "persone": Label(
            "Persone", "chi compare: i nomi dei file in persone/, es. [nome-cognome, dora/nome-associazione]"
        ),
        "categoria": Label("Categoria", CATEGORY_HINT),
        "tag": Label("Parole chiave", TAG_HINT.format("mercato, cucina")),
        "sommario": Label("Sommario", SUMMARY_HINT),
        **_image("storia a cartella"),
        "audio": Label(
            "Audio", "facoltativo, in una storia a cartella: {file: voce.mp3, trascrizione: il testo detto}"
        ),
        "audio.file": Label("File audio", "la registrazione, MP3 o OGG, nella cartella della storia"),
        "audio.trascrizione": Label(
            "Trascrizione",
            "il testo detto nella registrazione, per chi non può ascoltarla; i tempi [00:03:15] fanno l'indice",
        ),
        **_video("storia a cartella", " (chi si vede e parla va in persone, con ambito foto e audio)"),
        "galleria": Label(
            "Galleria", "facoltativa, in una storia a cartella: - {file: foto.jpg, alt: cosa si vede, didascalia: ...}"
        ),
        "galleria.file": Label("File dell'immagine", "la foto, JPEG, PNG o WebP, nella cartella accanto al testo"),
        "galleria.alt": Label("Descrizione dell'immagine", "che cosa si vede, per chi non vede la foto (obbligatoria)"),
        "galleria.didascalia": Label("Didascalia", "facoltativa: la riga scritta sotto la foto"),
        "azione": Label("Azione", "facoltativa: l'azione che la storia racconta, il nome del file in azioni/"),
        "lingua": Label(
            "Lingua",
            "facoltativa: il codice della lingua in cui è scritto il testo, se non è l'italiano (ar, zh, ro, fr, en, pms…)",
        ),
        "bozza": Label("Bozza", "togli questa riga (o scrivi false) quando la storia è pronta da pubblicare"),
    },
    "persona": {
        "nome": Label("Nome", "nome e cognome, o il nome dell'organizzazione"),
        "tipo": Label("Tipo", "persona oppure organizzazione"),
        "consenso": Label("Consenso", "obbligatorio per una persona: il modulo di consenso firmato"),
        "consenso.data": Label("Data della firma", "il giorno della firma, AAAA-MM-GG"),
        "consenso.riferimento": Label(
            "Numero del modulo", "il numero o il nome del modulo firmato, es. modulo 2025/12"
        ),
        "consenso.ambito": Label("Dove si può pubblicare", "dove si può pubblicare: web, ricerca, foto, audio"),
        "consenso.revocato": Label("Consenso ritirato il", "se la persona ritira il consenso: la data del ritiro"),
        "visibilita": Label("Come mostrare il nome", "facoltativa: pubblica, solo-nome (senza cognome) o pseudonimo"),
        "pseudonimo": Label("Pseudonimo", "il nome da mostrare, solo con visibilita: pseudonimo"),
        "categoria": Label("Categoria", CATEGORY_HINT),
        "ruolo": Label("Ruolo", "una riga: che cosa fa, es. Sarta in pensione"),
        "saperi": Label("Saperi", "i saperi che offre, dagli slug di content/saperi.yml, es. [sartoria]"),
        "saperi.sapere": Label("Sapere", "uno slug di content/saperi.yml, es. sartoria"),
        "saperi.descrizione": Label("Come lo offre", "facoltativa: in una frase, che cosa sa fare e quando"),
        "tag": Label("Parole chiave", TAG_HINT.format("cucito, intercultura")),
        **_image("scheda a cartella", " (serve anche ambito: foto)"),
        **_video("scheda a cartella", " (serve ambito: foto e audio)"),
        "sito": Label("Sito web", "solo per le organizzazioni: l'indirizzo web, https://..."),
        "nome_in_altre_scritture": Label(
            "Il nome in altre scritture",
            "facoltativo: il nome come si scrive in arabo, in cinese…, per nasconderlo anche nelle traduzioni",
        ),
        "lingua": Label(
            "Lingua",
            "facoltativa: il codice della lingua in cui è scritto il testo, se non è l'italiano (ar, zh, ro, fr, en, pms…)",
        ),
        "bozza": Label("Bozza", "togli questa riga (o scrivi false) quando la scheda è pronta da pubblicare"),
    },
    "bisogno": {
        "titolo": Label("Titolo", "che cosa serve, in poche parole"),
        "data": Label("Data", "quando è nato il bisogno, AAAA-MM-GG"),
        "saperi": Label(
            "Saperi che servono", "i saperi che servono, dagli slug di content/saperi.yml, es. [riparazione-biciclette]"
        ),
        "stato": Label("Stato", "aperto oppure chiuso (quando il bisogno è risolto)"),
        "scadenza": Label("Scadenza", "facoltativa: entro quando, AAAA-MM-GG"),
        "sommario": Label("Sommario", SUMMARY_HINT),
        "categoria": Label("Categoria", CATEGORY_HINT),
        "tag": Label("Parole chiave", TAG_HINT.format("scuola, doposcuola")),
        "lingua": Label(
            "Lingua",
            "facoltativa: il codice della lingua in cui è scritto il testo, se non è l'italiano (ar, zh, ro, fr, en, pms…)",
        ),
        "bozza": Label("Bozza", "togli questa riga (o scrivi false) quando il bisogno è pronto da pubblicare"),
    },
    "azione": {
        "titolo": Label("Titolo", "il nome dell'azione, in poche parole"),
        "data": Label("Data", "quando è stata proposta, AAAA-MM-GG"),
        "stato": Label("Stato", "proposta, in-corso oppure conclusa"),
        "bisogni": Label("Bisogni", "i bisogni a cui risponde: i nomi dei file in bisogni/, es. [aiuto-compiti]"),
        "partecipanti": Label(
            "Partecipanti",
            "chi partecipa, una voce per persona: - {chi: nome-cognome, sapere: cucina-etnica, ruolo: cucina}",
        ),
        "partecipanti.chi": Label("Chi", "il nome del file della persona in persone/, es. nome-cognome"),
        "partecipanti.sapere": Label("Con quale sapere", "uno slug di content/saperi.yml che la persona offre"),
        "partecipanti.ruolo": Label("Che cosa fa", "in una riga, es. insegna a cucire"),
        "partner": Label(
            "Partner", "le organizzazioni: i nomi dei file in persone/, o il nome di un ente, es. [Circoscrizione 7]"
        ),
        "appuntamenti": Label(
            "Appuntamenti",
            "- {inizio: AAAA-MM-GG HH:MM, fine: HH:MM, luogo: ..., ripeti: {ogni: settimana, fino: AAAA-MM-GG}}",
        ),
        "appuntamenti.inizio": Label("Inizio", "AAAA-MM-GG HH:MM, o solo AAAA-MM-GG per tutta la giornata"),
        "appuntamenti.fine": Label("Fine", "facoltativa: HH:MM lo stesso giorno, o AAAA-MM-GG HH:MM"),
        "appuntamenti.luogo": Label("Luogo", "dove ci si trova, es. Cortile di via Cuneo 6"),
        "appuntamenti.ripeti": Label("Si ripete", "facoltativo: {ogni: settimana, fino: AAAA-MM-GG}"),
        "appuntamenti.ripeti.ogni": Label("Ogni", "settimana oppure mese"),
        "appuntamenti.ripeti.fino": Label("Fino al", "l'ultimo giorno, AAAA-MM-GG, al massimo fra due anni"),
        "sommario": Label("Sommario", SUMMARY_HINT),
        "tag": Label("Parole chiave", TAG_HINT.format("cucito, intercultura")),
        **_image("azione a cartella"),
        "lingua": Label(
            "Lingua",
            "facoltativa: il codice della lingua in cui è scritto il testo, se non è l'italiano (ar, zh, ro, fr, en, pms…)",
        ),
        "bozza": Label("Bozza", "togli questa riga (o scrivi false) quando l'azione è pronta da pubblicare"),
    },
    "parole": {
        "parole": Label("Parole", "le parole del dizionario, una voce per parola"),
        "parole.parola": Label("Parola", "la parola come si legge, es. Lana"),
        "parole.descrizione": Label("Descrizione", "facoltativa: che cosa vuol dire qui, in una o due frasi"),
        "parole.sinonimi": Label("Sinonimi", "altre parole con lo stesso senso, es. [vello]"),
        "parole.specifiche": Label("Parole più specifiche", "gli slug delle parole più precise, es. [alpaca, angora]"),
        "parole.correlate": Label("Parole vicine", "gli slug delle parole vicine, es. [cotone, seta]"),
    },
}
