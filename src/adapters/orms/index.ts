import type { OrmAdapter } from '../types.js';
import { drizzle } from './drizzle.js';
import { knex } from './knex.js';
import { prisma } from './prisma.js';
import { typeorm } from './typeorm.js';

/** Every supported ORM / migration tool. */
export const orms: readonly OrmAdapter[] = [prisma, typeorm, drizzle, knex];

export function ormById(id: string): OrmAdapter | undefined {
  return orms.find((orm) => orm.id === id);
}
