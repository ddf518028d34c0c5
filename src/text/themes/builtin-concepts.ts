import type { ConceptDefinition } from './concept-definition.js';

/**
 * The built-in customer-experience lexicon: concepts that recur in the free
 * text of any company with customers (telecoms, retail, banking, software,
 * utilities, hospitality), after the topic frameworks of CX text analytics
 * (billing, price and value, support effort and wait, staff, digital
 * channels, reliability, onboarding, communication, delivery, product
 * quality, returns, contracts, stores, trust, loyalty). Terms are written as
 * customers write them; matching is by stem, and typos are repaired first.
 * Each concept names the experience area it feeds by default; cxray.yaml's
 * `comment_themes` renames, re-links, extends or replaces any of them.
 *
 * A term belongs in `terms` when it names the concept on its own, in
 * `weakTerms` when it leans towards it but also means other things.
 */
function concept(
  key: string,
  area: string,
  label: string,
  negativeLabel: string,
  positiveLabel: string,
  terms: string,
  weakTerms: string,
): ConceptDefinition {
  const list = (text: string): string[] => text.split(',').map((term) => term.trim()).filter((term) => term.length > 0);
  return { key, area, label, negativeLabel, positiveLabel, terms: list(terms), weakTerms: list(weakTerms) };
}

export const BUILTIN_CONCEPTS: readonly ConceptDefinition[] = [
  concept(
    'billing', 'billing', 'Billing and charges', 'Billing errors and unexpected charges', 'Clear, correct billing',
    `bill, bills, billed, billing, invoice, invoices, invoiced, invoicing, statement, statements, charge, charges, charged,
    overcharge, overcharged, overcharging, double charged, charged twice, hidden charges, hidden fees, extra charges,
    direct debit, debit, debited, autopay, auto pay, payment, payments, receipt, receipts, late fee, late fees, penalty,
    penalties, surcharge, prorated, billing cycle, card declined, credit card, account balance, balance, arrears`,
    `fee, fees, pay, paid, paying, monthly, amount, transaction, transactions, account, money, credit, deducted`,
  ),
  concept(
    'price', 'price', 'Price and value', 'Too expensive', 'Good value for money',
    `price, prices, pricing, priced, expensive, overpriced, pricey, cheap, cheaper, cheapest, affordable, afford,
    unaffordable, costly, value for money, worth, worth it, worth the money, rip off, ripoff, price increase, price rise,
    price hike, price went up, prices went up, competitor, competitors, competition, tariff, tariffs, bargain, good value,
    poor value, great value, reasonable price, too much money, charging too much, paying too much, paying way too much`,
    `cost, costs, money, rate, rates, plan, plans, fee, fees, paying, monthly, deal, deals, discount, discounts,
    promotion, promotions, too much, providers, offer`,
  ),
  concept(
    'support', 'support', 'Customer support', 'Slow or unresolved support', 'Quick, effective support',
    `support, customer service, customer services, customer support, customer care, help desk, helpdesk, helpline,
    hotline, call center, call centre, contact center, contact centre, service desk, live chat, chat support, on hold,
    hold time, hold times, hold music, put on hold, queue, queues, callback, call back, called back, call me back,
    get back to me, got back to me, response time, response times, no response, no reply, never answered,
    nobody answered, no one answered, resolve, resolved, resolving, resolution, unresolved, solve, solved, solution,
    escalate, escalated, escalation, ticket, tickets, transferred, transferring, passed around, runaround, wait time,
    waiting time, waiting times, took forever, takes forever, taking forever, first contact`,
    `wait, waited, waiting, forever, ages, hour, hours, day, days, week, weeks, slow, answer, answered, answering,
    respond, responded, response, reply, replied, call, calls, called, calling, phone, phoned, fix, fixed, issue,
    issues, problem, problems, help, contact, contacted, chat, sort out, sorted, transfer, complaint, complaints,
    follow up`,
  ),
  concept(
    'staff', 'staff', 'Staff attitude and knowledge', 'Rude or unhelpful staff', 'Friendly, helpful staff',
    `staff, employee, employees, agent, agents, representative, representatives, rep, reps, advisor, advisors, adviser,
    associate, associates, cashier, cashiers, clerk, consultant, salesperson, sales assistant, sales staff, manager,
    managers, team member, technician, technicians, engineer, friendly, unfriendly, rude, rudely, polite, impolite,
    courteous, discourteous, helpful, unhelpful, kind, patient, impatient, knowledgeable, clueless, professional,
    unprofessional, attitude, smile, smiled, smiling, greet, greeted, lovely, respectful, disrespectful,
    condescending, arrogant, empathy, empathetic, caring, attentive, welcoming, incompetent, competent, well trained,
    badly trained`,
    `people, person, team, guy, lady, gentleman, nice, spoke, listened, listen, listens, explained, took the time`,
  ),
  concept(
    'digital', 'digital', 'App and website', 'App and website problems', 'Easy-to-use app and website',
    `app, apps, mobile app, website, websites, web site, webpage, web page, portal, online account, login, log in,
    logged in, logging in, log on, sign in, signing in, logged out, log out, logs out, password, passwords, crash,
    crashes, crashed, crashing, app freezes, screen freezes, keeps freezing, bug, bugs, buggy, glitch, glitches, glitchy,
    error message, error messages, interface, navigate, navigation, user friendly, checkout, basket, shopping cart,
    download, android, iphone, ios, browser, button, buttons, self service, online form, web form, two factor,
    verification code, online store, online shop, the site`,
    `online, account, page, pages, update, updated, updates, click, screen, mobile, form, loading, load, error, errors,
    closes, unusable, user, freeze, freezes, froze, frozen`,
  ),
  concept(
    'network', 'network', 'Network and service reliability', 'Outages and dropped connections', 'Reliable network and good coverage',
    `network, networks, signal, signals, coverage, reception, outage, outages, connection, connections, connectivity,
    disconnect, disconnects, disconnected, disconnecting, internet, wifi, broadband, fibre, fiber, bandwidth, downtime,
    uptime, dropped calls, dropped call, calls drop, call drops, dead zone, dead spot, no service, service down,
    4g, 5g, 3g, lte, mobile data, router, modem, cut out, cuts out, cutting out, blackout, service interruption,
    interruptions, goes down, went down, keeps dropping`,
    `drop, drops, dropped, dropping, down, slow, speed, speeds, connect, connected, mobile, area, reliable, unreliable,
    stable, unstable, lag, laggy, data, line, service drops, countryside, rural`,
  ),
  concept(
    'onboarding', 'onboarding', 'Setup and getting started', 'Difficult setup', 'Easy setup',
    `setup, set up, setting up, sign up, signing up, signup, signed up, register, registered, registering, registration,
    activation, activate, activated, activating, onboarding, onboard, onboarded, getting started, get started,
    got started, install, installed, installing, installation, installer, welcome pack, welcome email, instructions,
    out of the box, switching over, switch over, porting, port my number, transfer my number, installation appointment,
    new account, open an account, opened an account, opening an account, account opening, sim card, first day,
    first week`,
    `started, start, welcome, sim, first time, joined, joining, connected, same day, new customer`,
  ),
  concept(
    'communication', 'communication', 'Communication and information', 'Poor communication', 'Clear communication',
    `communication, communications, communicate, communicated, inform, informed, information, notify, notified,
    notification, notifications, email, emails, letter, letters, newsletter, newsletters, marketing, spam, junk mail,
    text message, text messages, sms, advert, adverts, advertising, promotional, kept informed, keep me informed,
    kept in the dark, no explanation, explanation, explanations, transparency, transparent, unclear, not clear,
    no warning, without warning, without notice, no notice, heads up, small print, fine print, terms and conditions`,
    `explain, told, tell, update, updates, offer, offers, message, messages, contact, clear, notice, calls, texts,
    letting me know, let me know`,
  ),
  concept(
    'delivery', 'delivery', 'Delivery and shipping', 'Late or failed delivery', 'Fast delivery',
    `delivery, deliveries, deliver, delivered, delivering, shipping, shipment, shipments, shipped, ship, dispatch,
    dispatched, courier, couriers, parcel, parcels, postage, tracking, tracking number, tracked, arrived late, arrive late, late arrival,
    late delivery, on time, next day, doorstep, delivery driver, driver, stuck in transit, lost in transit,
    never arrived, never came, not arrived, not turned up, lost in the post, delivery date, delivery slot,
    estimated delivery, left at the door, signed for, post office, mailbox`,
    `order, orders, ordered, ordering, late, delayed, delay, delays, package, packages, box, received, lost, week,
    weeks, days, still waiting, mail, post, arrive, arrived, arrival, arriving, arrives, in transit, packaging, packed`,
  ),
  concept(
    'product_quality', 'product', 'Product quality', 'Poor quality or faulty products', 'Good product quality',
    `quality, poor quality, good quality, high quality, low quality, damaged, damage, broken, defective, faulty, fault,
    flimsy, durable, durability, sturdy, well made, badly made, cheaply made, poorly made, stopped working, not working,
    does not work, did not work, scratched, scratch, scratches, cracked, crack, dented, dent, torn, ripped, stain,
    stained, stains, leak, leaking, leaks, leaked, material, materials, fabric, stitching, battery, malfunction,
    malfunctioning, wore out, worn out, fell apart, falls apart, falling apart, shoddy, defect, defects, smashed,
    shattered, missing parts, wrong item, wrong product`,
    `product, products, item, items, smell, smells, works, broke, condition, build, made, quality control`,
  ),
  concept(
    'returns', 'returns', 'Returns and refunds', 'Difficult returns and slow refunds', 'Easy returns and refunds',
    `refund, refunds, refunded, refunding, return, returns, returned, returning, money back, reimburse, reimbursed,
    reimbursement, exchange, exchanged, exchanging, replacement, replacements, store credit, credit note, chargeback,
    return label, returns label, restocking fee, return policy, returns policy, send back, sent back, sending back,
    send it back, sent it back`,
    `replace, replaced, credit, credited`,
  ),
  concept(
    'size_fit', 'product', 'Size and fit', 'Wrong size or poor fit', 'Good fit',
    `size, sizes, sizing, fit, fits, fitted, fitting, too small, too big, too large, too tight, too loose, too short,
    too long, size chart, size guide, measurements, true to size, runs small, runs large, runs big, size up, size down,
    waist, sleeves, tight, loose, baggy, came up small, came up big, came up large, comes up small, comes up big,
    size smaller, size bigger, size larger, a size up, a size down`,
    `length, narrow, wide, smaller, bigger, larger`,
  ),
  concept(
    'cancellation', 'contract', 'Cancelling and contracts', 'Hard to cancel or leave', 'Easy to cancel',
    `cancel, cancels, cancelled, canceled, cancelling, canceling, cancellation, cancellations, contract, contracts,
    terminate, terminated, termination, early termination, notice period, lock in, locked in, tied in, auto renew,
    auto renewal, renewal, renewed, unsubscribe, unsubscribed, retention team, exit fee, switch provider,
    switching provider, leave the company, close my account, closed my account, closing my account`,
    `subscription, subscriptions, leave, leaving, left, switch, switching, switched, renew, commitment, minimum term`,
  ),
  concept(
    'store', 'store', 'Stores and branches', 'Poor in-store experience', 'Good in-store experience',
    `store, stores, branch, branches, showroom, outlet, opening hours, open hours, parking, in store, in person,
    counter, till, fitting room, changing room, shop floor, walk in, walked in`,
    `shop, shops, location, locations, queue, line, open, closed, visit, visited, visiting`,
  ),
  concept(
    'trust', 'trust', 'Trust, honesty and security', 'Misleading, unsafe or dishonest', 'Honest, trustworthy and secure',
    `trust, trusted, trustworthy, untrustworthy, distrust, honest, honesty, dishonest, lie, lied, lies, lying,
    misleading, misled, mislead, mis sold, missold, scam, scammed, scammers, fraud, fraudulent, promise, promised,
    promises, broken promise, false advertising, deceptive, deceived, sneaky, shady, unfair, unfairly, unethical,
    security, secure, privacy, data breach, hacked, sold my data, bait and switch`,
    `fair, fairly, rip off, reliable`,
  ),
  concept(
    'loyalty', 'loyalty', 'Loyalty and rewards', 'Loyal customers not rewarded', 'Rewards and loyalty perks',
    `loyalty, loyal, rewards, reward, rewarded, loyalty points, reward points, points, loyalty card, loyalty program,
    loyalty programme, long time customer, long term customer, existing customers, new customers get, membership, perks, cashback, vip`,
    `years, benefits, benefit, appreciated, valued, member, members`,
  ),
  concept(
    'product_range', 'product', 'Range, features and availability', 'Missing products or features',
    'Good choice of products and features',
    `out of stock, in stock, back in stock, sold out, availability, unavailable, range, selection, choice, choices,
    variety, backorder, back order, discontinued, feature, features, functionality, integration, integrations,
    customisation, customization, customise, customize, missing feature, feature request, options`,
    `available, option, function, functions, tool, tools, stock, menu`,
  ),
  concept(
    'cleanliness', 'store', 'Cleanliness', 'Dirty or untidy', 'Clean and tidy',
    `cleanliness, dirty, filthy, untidy, tidy, hygiene, hygienic, unhygienic, smelly, spotless, dusty, litter, toilet,
    toilets, bathroom, bathrooms, restroom, restrooms, messy, grimy, cleaned`,
    `clean, dust, rubbish, trash, smell`,
  ),
];
