/**
 * Evaluative words that decide whether a comment praises or complains about
 * its theme: general English opinion words (after the positive/negative
 * lists of Hu & Liu 2004, cut to those common in service comments) and the
 * problem words of customer experience ("outage", "crash", "overcharged",
 * "waited") that are neutral in a dictionary but always a complaint here.
 * This is not the sentiment score: cxray's VADER port scores comments; these
 * cues only split a theme into its complaints and its praise, clause by
 * clause, when a comment touches two themes with opposite feelings.
 * Weights: 1 a clear judgement, 0.5 a lean. Porter merges "pleased" with
 * "please", so only phrases of it are cues ("please fix this" is a complaint).
 */
function cues(weight: number, text: string): [string, number][] {
  return text
    .split(',')
    .map((cue) => cue.trim())
    .filter((cue) => cue.length > 0)
    .map((cue) => [cue, weight]);
}

export const POLARITY_CUES: readonly [string, number][] = [
  ...cues(1, `good, great, excellent, amazing, awesome, fantastic, brilliant, superb, outstanding, wonderful, perfect,
    love, loved, loving, lovely, best, happy, very pleased, so pleased, really pleased, pleased with, satisfied, delighted, impressed, easy, easily, effortless,
    painless, smooth, seamless, quick, quickly, fast, prompt, promptly, efficient, friendly, helpful, kind, polite,
    courteous, patient, professional, knowledgeable, reliable, dependable, clear, fair, affordable, bargain, recommend,
    recommended, thank you, thanks, thank, appreciate, appreciated, nice, works well, worked well, just works,
    well done, keep it up, top notch, spot on, no complaints, exceeded, enjoy, enjoyed, glad, welcoming, attentive,
    caring, respectful, competent, accurate, transparent, flawless, intuitive, convenient, user friendly, solved,
    resolved, sorted, well made, sturdy, durable, strong, stable, clean, tidy, spotless, on time, value for money,
    good value, worth it, smile, greeted, no complaints, no problems, no issues, never had a problem`),
  ...cues(0.5, `better, improved, okay, decent, works, worked, responsive, plenty, generous, super, simple, fine, cheaper, cheapest`),
  ...cues(-1, `bad, terrible, awful, horrible, horrendous, dreadful, atrocious, poor, worst, worse, useless, hopeless,
    disappointed, disappointing, disappointment, frustrated, frustrating, annoyed, annoying, angry, furious, upset,
    unhappy, dissatisfied, unacceptable, ridiculous, disgrace, disgraceful, pathetic, shocking, appalling, rubbish,
    nightmare, hate, hated, mess, confusing, confused, confusion, complicated, difficult, hard, impossible, slow,
    slowly, expensive, overpriced, pricey, overcharged, overcharge, rip off, scam, rude, unhelpful, unfriendly,
    impatient, unprofessional, incompetent, clueless, condescending, unreliable, unstable, unclear, misleading, hidden,
    unfair, crash, crashes, crashed, crashing, freeze, freezes, froze, frozen, buggy, bug, bugs, glitch, glitchy,
    broken, broke, faulty, defective, damaged, error, errors, outage, outages, disconnect, disconnects, disconnected,
    disconnecting, cut out, cuts out, cutting out, goes down, went down, keeps dropping, dropped, drops, drop,
    unusable, fail, fails, failed, failure, late, delayed, delay, delays, lost, missing, wrong, forever, ages,
    waited, waiting, wait, on hold, gave up, give up, waste, wasted, complaint, complaints, complain, complained,
    trouble, hassle, struggle, struggled, stuck, spam, dirty, filthy, smelly,
    cracked, scratched, torn, ripped, stained, leaking, leaks, leaked, smashed, shattered, dented, fell apart,
    falls apart, coming apart, fell off, inconsistent, all over the place, way off, flimsy, cheaply made, poorly made, too much, price went up,
    prices went up, price increase, price hike, hike, transferring, transferred, runaround, passed around, lied,
    tight`),
  ...cues(-0.5, `constant, constantly, every time, anymore, still, never again, apparently, problem, problems, issue, issues,
    supposedly, somehow, keep getting, keeps, sadly, unfortunately, doubt, worry, worried, concern, concerned,
    please fix, fix this, fix it, sort it out, please sort, two calls, three calls, four calls, five calls, several calls,
    multiple calls, many calls, several times, multiple times, many times, three times, four times, five times`),
];

/** Competitor words: after one, "cheaper" or "better" praises the rival, so the comparison counts against us. */
export const COMPETITOR_WORDS: readonly string[] = [
  'other', 'others', 'competitor', 'competitors', 'competition', 'elsewhere', 'rival', 'rivals', 'another',
];
