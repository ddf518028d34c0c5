/**
 * The evidence the detector weighs: for each language, its most frequent
 * words (function words first, then words customers use about a service) and
 * its tell-tale letters. Short comments rarely carry enough letters for
 * n-gram statistics, but almost always carry one or two of these words.
 */

export const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl'] as const;
export type DetectedLanguage = (typeof LANGUAGES)[number];

const WORDS: Record<DetectedLanguage, string> = {
  en: `the a an and or but of to in on at for with from by about as into than then so if
    is are was were be been being am do does did done have has had having will would shall should can could may might must
    i me my mine you your yours he him his she her it its we us our they them their this that these those there here
    what which who whom whose why how when where all any some no not never nothing none every each more most much many
    very too also just only still even again already always ever yet out up down off over after before since until
    don't doesn't didn't isn't aren't wasn't weren't can't couldn't won't wouldn't i'm i've i'll i'd it's that's there's
    thanks thank please good great bad nice poor terrible horrible awful love like hate best worst better worse happy unhappy
    service support customer staff bill billing charge charged charges fee fees price prices pay paid payment cheap expensive
    network signal coverage outage outages internet phone call calls called app website account help problem problems issue
    time times day days week weeks month months year years hour hours again someone nobody anyone everything anything
    fix fixed easy hard slow fast quick quickly work works working worked get got give gave make made take took keep want wanted
    need needed know think say said tell told ask asked wait waited way today yesterday now because while though although`,
  es: `el la los las un una unos unas y o pero de del al a en con por para sin sobre entre hasta desde que qué
    es son era fue fueron ser estar está están estaba estoy he ha han hay había tengo tiene tienen tener hace hacer
    yo me mi mis tu tus su sus nos nuestro nuestra ellos ellas él ella usted ustedes lo le les se este esta esto estos estas
    ese esa eso muy más menos mucho mucha muchos muchas poco todo toda todos todas nada nadie nunca siempre ya también
    no sí si como cómo cuando cuándo donde dónde porque por qué cual cuál quien otro otra otros cada solo sólo aún todavía
    gracias favor bien bueno buena buenos buenas malo mala mejor peor excelente pésimo horrible terrible encanta gusta
    servicio atención cliente clientes personal tienda factura facturas cobro cobros cargo cargos precio precios caro cara barato
    red señal cobertura corte cortes internet teléfono llamada llamar llamé aplicación app cuenta ayuda problema problemas
    semana semanas mes meses año años hora horas día días vez veces rápido rápida lento lenta fácil difícil
    funciona funcionan arreglar arreglaron esperé espera entiendo configurar activación
    aunque tiempo después antes entonces mientras ahora hoy ayer mañana puede pueden quiero quería necesito dijo dijeron
    tiene tenía están estamos hemos otra vez casa trabajo dinero pagar pagué cobraron`,
  fr: `le la les l un une des du de d et ou mais à au aux en dans sur sous avec pour par sans chez entre vers
    est sont était été être avoir ai as a avons avez ont avait fait faire peut peux
    je j me m moi mon ma mes tu te t toi ton ta tes il elle on nous vous ils elles lui leur leurs son sa ses se s
    ce c cet cette ces ça cela qui que qu quoi dont où quand comment pourquoi quel quelle
    ne n pas plus jamais rien personne toujours déjà aussi encore très trop bien mal peu beaucoup tout tous toute toutes
    oui non si merci bon bonne mauvais mauvaise meilleur pire super génial nul horrible terrible
    service client clients personnel magasin facture factures frais prix cher chère payer payé
    réseau signal couverture coupure coupures panne internet téléphone appel appeler appelé application appli compte aide problème
    semaine semaines mois an ans heure heures jour jours fois rapide rapidement lent lente facile difficile
    marche fonctionne installation activation attendu depuis
    aujourd hier demain maintenant après avant alors pendant veux voulais besoin dit ont sommes êtes avais étais
    chose fois argent travail encore vraiment toujours`,
  de: `der die das den dem des ein eine einen einem einer und oder aber von zu zum zur in im am an auf mit für bei nach aus über
    ist sind war waren sein habe hat haben hatte wird werden wurde kann können muss
    ich mich mir mein meine du dein er sie es wir uns unser ihr ihre man sich nicht kein keine nie nichts immer schon auch noch sehr
    zu viel mehr nur wie was wer warum wann wo ja nein danke bitte gut schlecht
    kunde kunden rechnung preis preise teuer billig netz empfang service techniker angerufen gekommen niemand schnell langsam zufrieden`,
  it: `il lo la i gli le un uno una e o ma di del della dei delle da dal in nel nella con per su tra fra che chi
    è sono era stato essere ho hai ha abbiamo hanno avere fatto fare
    io mi mio mia tu ti tuo lui lei noi ci voi loro si questo questa quello quella non mai niente nessuno sempre già anche ancora
    molto troppo più meno bene male tutto tutti come quando dove perché grazie buono buona
    cliente servizio fattura prezzo prezzi caro rete segnale tecnico chiamato venuto velocità riparazione contento alti`,
  pt: `o a os as um uma uns umas e ou mas de do da dos das em no na nos nas com por para sem sobre que
    é são era foi ser estar está estão estava tenho tem têm ter fazer feito
    eu me meu minha você vocês ele ela nós eles elas lhe se isso isto esse essa este esta não nunca nada ninguém sempre já também ainda
    muito muita muitos muitas mais menos bem mal tudo todos como quando onde porque obrigado obrigada bom boa
    cliente serviço atendimento fatura preço preços caro rede sinal técnico ligou apareceu satisfeito altos estão`,
  nl: `de het een en of maar van te in op aan met voor bij naar uit over
    is zijn was waren ben heb heeft hebben had wordt worden kan kunnen moet
    ik mij mijn je jij jouw hij zij ze wij we ons onze hun niet geen nooit niets altijd al ook nog erg zeer heel
    veel meer alleen hoe wat wie waarom wanneer waar ja nee dank bedankt alsjeblieft goed slecht
    klant klanten rekening prijs prijzen duur goedkoop netwerk bereik monteur gebeld gekomen niemand snel langzaam tevreden`,
};

/** Word -> languages that use it often. */
export const WORD_LANGUAGES: ReadonlyMap<string, readonly DetectedLanguage[]> = (() => {
  const map = new Map<string, DetectedLanguage[]>();
  for (const language of LANGUAGES) {
    for (const word of WORDS[language].split(/\s+/)) {
      if (word === '') continue;
      const languages = map.get(word) ?? [];
      if (!languages.includes(language)) languages.push(language);
      map.set(word, languages);
    }
  }
  return map;
})();

/**
 * Letters that point to a language wherever they appear, with the share of a
 * word's worth of evidence each occurrence carries.
 */
export const LETTER_LANGUAGES: ReadonlyMap<string, readonly [DetectedLanguage, number][]> = new Map([
  ['ñ', [['es', 1]]], ['¿', [['es', 1]]], ['¡', [['es', 1]]],
  ['á', [['es', 0.4], ['pt', 0.4]]], ['í', [['es', 0.4], ['pt', 0.3]]], ['ó', [['es', 0.4], ['pt', 0.3]]], ['ú', [['es', 0.4], ['pt', 0.3]]],
  ['é', [['fr', 0.3], ['es', 0.2], ['pt', 0.2], ['it', 0.1]]],
  ['è', [['fr', 0.5], ['it', 0.4]]], ['ê', [['fr', 0.5], ['pt', 0.4]]], ['ë', [['fr', 0.5], ['nl', 0.3]]],
  ['à', [['fr', 0.5], ['it', 0.2], ['pt', 0.2]]], ['â', [['fr', 0.5], ['pt', 0.4]]], ['ô', [['fr', 0.5], ['pt', 0.4]]],
  ['î', [['fr', 0.8]]], ['û', [['fr', 0.8]]], ['ù', [['fr', 0.6], ['it', 0.3]]], ['ï', [['fr', 0.6], ['nl', 0.3]]],
  ['ç', [['fr', 0.6], ['pt', 0.5]]], ['œ', [['fr', 1]]],
  ['ã', [['pt', 1]]], ['õ', [['pt', 1]]],
  ['ä', [['de', 0.8]]], ['ö', [['de', 0.8]]], ['ü', [['de', 0.8]]], ['ß', [['de', 1]]],
  ['ì', [['it', 0.8]]], ['ò', [['it', 0.8]]],
]);

/**
 * Word endings typical of one language's content words, for comments whose
 * only words are not in the lists above ("La app falla constantemente").
 */
export const SUFFIX_LANGUAGES: readonly [string, readonly [DetectedLanguage, number][]][] = [
  ['ción', [['es', 0.8]]], ['ciones', [['es', 0.8]]], ['mente', [['es', 0.4], ['it', 0.3], ['pt', 0.3]]], ['dad', [['es', 0.6]]],
  ['ado', [['es', 0.3], ['pt', 0.3]]], ['ada', [['es', 0.3], ['pt', 0.3]]], ['amos', [['es', 0.4], ['pt', 0.3]]],
  ['tion', [['en', 0.3], ['fr', 0.3]]], ['ment', [['fr', 0.4], ['en', 0.2]]], ['eux', [['fr', 0.6]]], ['eau', [['fr', 0.6]]], ['aux', [['fr', 0.6]]],
  ['ing', [['en', 0.5]]], ['ly', [['en', 0.4]]], ['ed', [['en', 0.3]]], ['ness', [['en', 0.6]]], ['ght', [['en', 0.6]]],
  ['ção', [['pt', 1]]], ['ões', [['pt', 1]]], ['zione', [['it', 0.8]]], ['zioni', [['it', 0.8]]],
  ['ung', [['de', 0.6]]], ['lich', [['de', 0.6]]], ['keit', [['de', 0.8]]], ['heid', [['nl', 0.8]]],
];
