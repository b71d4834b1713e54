import type { OrmAdapter } from '../types.js';
import { drizzle } from './drizzle.js';
import { knex } from './knex.js';
import { kysely } from './kysely.js';
import { mikroOrm } from './mikro-orm.js';
import { nodePgMigrate } from './node-pg-migrate.js';
import { prisma } from './prisma.js';
import { sequelize } from './sequelize.js';
import { typeorm } from './typeorm.js';

/** Every supported ORM / migration tool. */
export const orms: readonly OrmAdapter[] = [prisma, typeorm, drizzle, knex, sequelize, mikroOrm, nodePgMigrate, kysely];

export function ormById(id: string): OrmAdapter | undefined {
  return orms.find((orm) => orm.id === id);
}
