/** Mainnet forks parevm executes, in activation order; comparisons like `fork >= Fork.Berlin` are intended. */
export enum Fork {
  Frontier = 0,
  Homestead,
  TangerineWhistle, // EIP-150
  SpuriousDragon, // EIP-155/158/160/161/170
  Byzantium,
  Constantinople,
  Petersburg,
  Istanbul,
  Berlin,
  London,
  Paris, // the Merge
  Shanghai,
  Cancun,
}
