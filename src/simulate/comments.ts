import type { Rng } from './random.js';
import type { AreaKey, NpsClass } from './satisfaction.js';
import { AREAS } from './satisfaction.js';

/**
 * Free-text answers (Q4_TEXT) on planted themes. Each theme belongs to an
 * experience area and has a sentiment; a respondent writes about the area
 * they rated lowest (unhappy) or highest (happy). Wording varies (templates,
 * openers, closers, typos, case), some comments are Spanish or French, and a
 * few span two lines, so theme discovery cannot key on one fixed sentence.
 */
export type Sentiment = 'positive' | 'negative';
export type Language = 'en' | 'es' | 'fr';

interface Theme {
  key: string;
  label: string;
  area: AreaKey;
  sentiment: Sentiment;
  en: readonly string[];
  es: readonly string[];
  fr: readonly string[];
}

export const THEMES: readonly Theme[] = [
  {
    key: 'billing_confusion', label: 'Billing confusion', area: 'billing', sentiment: 'negative',
    en: [
      "I don't understand my bill, there are charges I never agreed to.",
      'Bill is confusing - why was I charged twice this month?',
      'The invoice makes no sense, fees everywhere.',
      'Every month the bill is different and nobody can explain why',
      'Confusing bills and hidden charges on my statement.',
      'Billing is a mess, I keep getting charges I do not recognise.',
    ],
    es: ['No entiendo mi factura, hay cargos que nunca acepté.', 'La factura es muy confusa, me cobraron dos veces.'],
    fr: ["Je ne comprends pas ma facture, il y a des frais que je n'ai jamais acceptés.", 'Facture incompréhensible, on m’a facturé deux fois.'],
  },
  {
    key: 'slow_support', label: 'Slow support', area: 'support', sentiment: 'negative',
    en: [
      'Waited over an hour on the phone to talk to someone.',
      'Support takes forever to answer, I gave up.',
      'It took three calls and two weeks to fix a simple problem.',
      'Customer service is slow and keeps transferring me around',
      'Nobody answered my ticket for days.',
      'Long hold times every single time I call support.',
    ],
    es: ['Esperé más de una hora para hablar con alguien del soporte.', 'El servicio al cliente es muy lento.'],
    fr: ["J'ai attendu plus d'une heure au téléphone.", 'Le service client est beaucoup trop lent.'],
  },
  {
    key: 'app_crashes', label: 'App crashes', area: 'app', sentiment: 'negative',
    en: [
      'The app keeps crashing when I try to pay.',
      'App crashes every time I open the usage page',
      'Your mobile app freezes and logs me out constantly.',
      "Can't log in to the app, it just closes.",
      'The website and app are buggy and crash a lot.',
      'App is unusable since the last update, crashes on start.',
    ],
    es: ['La aplicación se cierra cada vez que intento pagar.', 'La app falla constantemente.'],
    fr: ["L'application plante à chaque fois que je veux payer.", "L'appli se ferme toute seule."],
  },
  {
    key: 'price_too_high', label: 'Price too high', area: 'price', sentiment: 'negative',
    en: [
      'Too expensive for what you get.',
      'The price went up again, I am paying way too much.',
      'Other providers are much cheaper for the same service.',
      'Price is too high, especially with all the extra fees',
      'Way overpriced compared to the competition.',
      'I can not justify this monthly price anymore.',
    ],
    es: ['Es demasiado caro para lo que ofrece.', 'El precio es muy alto comparado con otros.'],
    fr: ['Beaucoup trop cher pour ce que c’est.', 'Le prix a encore augmenté, c’est trop cher.'],
  },
  {
    key: 'network_outages', label: 'Network outages', area: 'network', sentiment: 'negative',
    en: [
      'The network goes down almost every week.',
      'Constant outages in my area, no signal at home.',
      'Service drops all the time, calls keep cutting out.',
      'Another outage this month and no explanation',
      'Internet keeps disconnecting in the evenings.',
      'Coverage is terrible, frequent network outages.',
    ],
    es: ['La red se cae casi todas las semanas.', 'Cortes de servicio constantes en mi zona.'],
    fr: ['Le réseau tombe en panne presque chaque semaine.', 'Coupures constantes dans mon quartier.'],
  },
  {
    key: 'friendly_staff', label: 'Friendly staff', area: 'store', sentiment: 'positive',
    en: [
      'The staff at the store were really friendly and helpful.',
      'Great people in the shop, they took time to explain everything.',
      'Friendly and patient staff, thank you!',
      'The agent I spoke with was lovely and solved my issue',
      'Very kind and helpful team at the store.',
      'Staff always greet me with a smile.',
    ],
    es: ['El personal de la tienda fue muy amable y atento.', 'Gente muy simpática y servicial.'],
    fr: ['Le personnel du magasin était très aimable.', 'Équipe très sympathique et serviable.'],
  },
  {
    key: 'great_coverage', label: 'Great coverage', area: 'network', sentiment: 'positive',
    en: [
      'Great coverage everywhere I go, even in the countryside.',
      'Signal is excellent and the connection never drops.',
      'Fast and reliable network, no complaints.',
      'Best coverage I have had with any provider',
      'Strong signal at home and at work.',
      'Reliable network, it just works.',
    ],
    es: ['Muy buena cobertura en todas partes.', 'La señal es excelente y nunca se corta.'],
    fr: ['Excellente couverture partout où je vais.', 'Réseau rapide et fiable.'],
  },
  {
    key: 'easy_setup', label: 'Easy setup', area: 'onboarding', sentiment: 'positive',
    en: [
      'Setting up my account was quick and easy.',
      'Getting started took five minutes, very simple.',
      'Easy setup, everything worked out of the box.',
      'Activation was painless and the instructions were clear',
      'Signing up was super easy.',
      'Smooth onboarding, I was connected the same day.',
    ],
    es: ['Configurar mi cuenta fue rápido y fácil.', 'La activación fue muy sencilla.'],
    fr: ["L'installation a été rapide et facile.", "L'activation s'est faite sans problème."],
  },
];

const OPENERS = ['', '', '', 'Honestly, ', 'To be honest ', 'Well, ', 'Overall: ', 'hmm. '];
const NEGATIVE_CLOSERS = ['', '', '', ' Please fix this.', ' Very disappointed.', '!!', ' Not happy.', ' They said "it\'s fixed" but it is not.'];
const POSITIVE_CLOSERS = ['', '', '', ' Thanks!', ' Keep it up.', ' :)', ' 10/10 would recommend.', ' Love it, "best in town".'];
const NEWLINE_FOLLOW_UPS = ['Also the website is hard to use.', 'That is all.', 'PS: please call me back.', 'Thanks for asking.'];

const areaRank = new Map(AREAS.map((area, index) => [area.key as AreaKey, index]));

function typo(rng: Rng, text: string): string {
  if (text.length < 6) return text;
  const at = rng.int(1, text.length - 3);
  switch (rng.int(0, 2)) {
    case 0:
      return text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + text.charAt(at) + text.slice(at);
  }
}

export interface Comment {
  text: string;
  theme: string;
  language: Language;
  /** Qualtrics `UserLanguage` of the response. */
  userLanguage: string;
}

/** A comment for a response, or null when the respondent left the box empty. */
export function drawComment(rng: Rng, npsClassOfResponse: NpsClass, ratings: readonly number[]): Comment | null {
  if (!rng.chance(0.6)) return null;
  const sentiment: Sentiment =
    npsClassOfResponse === 'promoter' ? (rng.chance(0.9) ? 'positive' : 'negative')
      : npsClassOfResponse === 'detractor' ? (rng.chance(0.95) ? 'negative' : 'positive')
        : rng.chance(0.5) ? 'positive' : 'negative';
  const candidates = THEMES.filter((theme) => theme.sentiment === sentiment);
  const weights = candidates.map((theme) => {
    const rating = ratings[areaRank.get(theme.area) ?? 0] ?? 3;
    return sentiment === 'negative' ? (6 - rating) ** 3 : rating ** 3;
  });
  const theme = candidates[rng.weighted(weights)];
  if (theme === undefined) throw new Error('no theme');
  const u = rng.float();
  const language: Language = u < 0.05 ? 'es' : u < 0.08 ? 'fr' : 'en';
  let text: string;
  if (language === 'en') {
    text = rng.pick(OPENERS) + rng.pick(theme.en) + rng.pick(sentiment === 'negative' ? NEGATIVE_CLOSERS : POSITIVE_CLOSERS);
    if (rng.chance(0.18)) text = typo(rng, text);
    if (rng.chance(0.05)) text = typo(rng, text);
    if (rng.chance(0.1)) text = text.toLowerCase();
    if (rng.chance(0.015)) text = `${text}\n${rng.pick(NEWLINE_FOLLOW_UPS)}`;
  } else {
    text = rng.pick(language === 'es' ? theme.es : theme.fr);
    if (rng.chance(0.1)) text = typo(rng, text);
  }
  const userLanguage = language === 'en' ? 'EN' : rng.chance(0.7) ? language.toUpperCase() : 'EN';
  return { text, theme: theme.key, language, userLanguage };
}
