// The store schema and its migrations. Each migration is a numbered list of
// statements per dialect; Migrate() applies the missing ones in order, each in
// its own transaction, and records them in schema_migrations.
#pragma once

#include "store/db.h"

namespace sitrep::store {

constexpr int kSchemaVersion = 4;

// Creates or upgrades the schema; returns the version now in place. Throws
// StoreError when the database is newer than this program.
int Migrate(Db& db);

}  // namespace sitrep::store
