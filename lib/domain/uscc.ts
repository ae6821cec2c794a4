/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check
 * character. Customer service must get the tax number right (POLICY 4) and supplier master data
 * carries it (2.1(2)); some legal early codes fail the checksum, so callers warn rather than refuse.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(code.charAt(i)) * (WEIGHTS[i] ?? 0);
  // check = 31 − (Σ value·weight mod 31), and 31 is written as 0.
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET.charAt(check) === code.charAt(17);
}
