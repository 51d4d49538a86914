import { writeFile } from 'node:fs/promises';
import { seededRandom } from '../learn/eval/seeded-random.js';

/**
 * A customers CSV for training tests, columns named by what they test: an id (dropped), a
 * free-text note (dropped), numbers with gaps, a categorical plan, a date, a constant and an
 * all-empty column, a binary target `churned` driven by age, income and plan, and a numeric
 * target `spend`. Deterministic for a given seed.
 */
export async function writeCustomersCsv(path: string, rows: number, seed = 1, extraNumeric = 0): Promise<void> {
  const rng = seededRandom(seed);
  const extra = Array.from({ length: extraNumeric }, (_, j) => `num_extra${j}`);
  const lines = [
    [
      'customer_id',
      'age',
      'income',
      'plan',
      'signup',
      'note',
      'constant1',
      'empty1',
      ...extra,
      'churned',
      'spend',
      'always_one',
      'never',
    ].join(','),
  ];
  for (let i = 0; i < rows; i++) {
    const age = 18 + rng.int(60);
    const income = 50000 + rng.normal() * 15000;
    const plan = ['basic', 'pro', 'team'][rng.int(3)]!;
    const z = -1 + 0.05 * (age - 50) - 0.00004 * (income - 50000) + (plan === 'basic' ? 1.2 : -0.6);
    const churned = rng.next() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no';
    const spend = 20 + age * 1.5 + (plan === 'team' ? 40 : 0) + rng.normal() * 5;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const xs = extra.map(() => rng.normal().toFixed(4));
    lines.push(
      [
        i + 1,
        age,
        rng.next() < 0.05 ? '' : income.toFixed(2),
        plan,
        `2024-02-${day}`,
        `"note ${i} ${rng.next().toFixed(6)}"`,
        'same',
        '',
        ...xs,
        churned,
        spend.toFixed(2),
        1,
        '',
      ].join(','),
    );
  }
  await writeFile(path, lines.join('\n') + '\n');
}
