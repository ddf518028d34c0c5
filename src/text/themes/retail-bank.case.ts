/**
 * Hand-written comments of a retail bank, labelled by their main point.
 * Written after the lexicon was settled and run once as a held-out check
 * (the online-shop set was used while writing the lexicon, this one not).
 */
export const RETAIL_BANK_COMMENTS: readonly { id: string; label: string; text: string }[] = [
  // Fees and charges
  { id: 'f01', label: 'fees', text: 'I was hit with an overdraft fee of £25 for going 3 pounds over.' },
  { id: 'f02', label: 'fees', text: 'Why is there a monthly account fee now? It used to be free.' },
  { id: 'f03', label: 'fees', text: 'Charged for using my card abroad even though you advertise no foreign transaction fees.' },
  { id: 'f04', label: 'fees', text: 'Unexplained charges on my statement again this month.' },
  { id: 'f05', label: 'fees', text: 'The interest you charge on the credit card is daylight robbery.' },
  { id: 'f06', label: 'fees', text: 'I got a penalty charge for a direct debit that bounced by one day.' },
  { id: 'f07', label: 'fees', text: 'Fees keep going up while savings rates stay at nothing.' },
  { id: 'f08', label: 'fees', text: 'They took a £10 charge for sending me a letter about being overdrawn.' },
  // Mobile app and online banking
  { id: 'a01', label: 'app', text: 'The banking app logs me out every five minutes.' },
  { id: 'a02', label: 'app', text: 'Cannot sign in to online banking since the update, it says my password is wrong.' },
  { id: 'a03', label: 'app', text: 'Face ID stopped working on the app and now I have to type a code every time.' },
  { id: 'a04', label: 'app', text: 'The app is brilliant, I can do everything from my phone.' },
  { id: 'a05', label: 'app', text: 'Transfers in the app fail with an error half the time.' },
  { id: 'a06', label: 'app', text: 'Online banking website is so clunky and slow to load.' },
  { id: 'a07', label: 'app', text: 'Love the new app, really easy to check my balance and pay people.' },
  { id: 'a08', label: 'app', text: 'The app crashed in the middle of a payment and I did not know if it went through.' },
  // Fraud and security
  { id: 's01', label: 'fraud', text: 'Someone stole money from my account and the bank took weeks to investigate the fraud.' },
  { id: 's02', label: 'fraud', text: 'I was scammed by a fake text pretending to be you, and you refused to reimburse me.' },
  { id: 's03', label: 'fraud', text: 'My card was blocked for suspected fraud while I was on holiday and I could not pay for anything.' },
  { id: 's04', label: 'fraud', text: 'The fraud team were quick to spot the dodgy transaction and sent me a new card.' },
  { id: 's05', label: 'fraud', text: 'I do not feel my money is secure with you after the data breach.' },
  { id: 's06', label: 'fraud', text: 'Too many security questions just to talk to someone.' },
  { id: 's07', label: 'fraud', text: 'Got hacked and it took a month to get my money back.' },
  { id: 's08', label: 'fraud', text: 'Scam calls claiming to be from the bank every week and you do nothing about it.' },
  // Branches
  { id: 'b01', label: 'branch', text: 'You closed my local branch and now the nearest one is 30 miles away.' },
  { id: 'b02', label: 'branch', text: 'The branch is only open three days a week now.' },
  { id: 'b03', label: 'branch', text: 'Queue at the branch was out the door with one cashier working.' },
  { id: 'b04', label: 'branch', text: 'Lovely people at the branch, they helped me set up a savings account.' },
  { id: 'b05', label: 'branch', text: 'Branch closures are making it hard for older customers who do not use the internet.' },
  { id: 'b06', label: 'branch', text: 'I had to drive to another town to pay in a cheque because the branch shut.' },
  { id: 'b07', label: 'branch', text: 'The staff in branch were patient and explained the mortgage options clearly.' },
  { id: 'b08', label: 'branch', text: 'No parking near the branch and the opening hours are useless for workers.' },
  // Phone support
  { id: 'p01', label: 'support', text: 'On hold for 50 minutes to report a lost card.' },
  { id: 'p02', label: 'support', text: 'Every time I call I get passed to a different department and have to repeat myself.' },
  { id: 'p03', label: 'support', text: 'The call centre could not answer a simple question about my mortgage.' },
  { id: 'p04', label: 'support', text: 'Chat support is just a bot that sends me links to the FAQ.' },
  { id: 'p05', label: 'support', text: 'Got through to someone straight away and they sorted it in minutes.' },
  { id: 'p06', label: 'support', text: 'I complained in March and still have not had a reply.' },
  { id: 'p07', label: 'support', text: 'The helpline closes at 6pm which is useless if you work.' },
  { id: 'p08', label: 'support', text: 'Waited 40 minutes and then the line went dead.' },
];
