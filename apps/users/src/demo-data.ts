import type { PasswordHasher } from './users/passwords';
import type { UsersRepository } from './users/users.repository';

/** Every demo user signs in with this password (local development only: demo data is off by default). */
export const DEMO_PASSWORD = 'forum-demo-password';

/** The four users of the original sample; ids 1-4 on a fresh database, as threads and posts expect. */
export const demoUsers = [
  { username: 'marceline', displayName: 'Marceline Singer', bio: 'Cyclist, musician' },
  { username: 'finn', displayName: 'Finn Alberts', bio: 'Adventurer and hero, defender of good' },
  { username: 'pb', displayName: 'Paul Barium', bio: 'Scientist, cake lover' },
  { username: 'jake', displayName: 'Jake Storm', bio: 'Soccer fan, sky diver' },
];

/** Inserts the demo users into an empty database; returns how many were inserted. */
export async function seedDemoUsers(users: UsersRepository, passwords: PasswordHasher, at = new Date().toISOString()): Promise<number> {
  if (!(await users.isEmpty())) return 0;
  const passwordHash = await passwords.hash(DEMO_PASSWORD);
  for (const user of demoUsers) await users.insert({ ...user, passwordHash, createdAt: at, updatedAt: at });
  return demoUsers.length;
}
