// Built when libpqxx is missing: postgresql:// URLs fail with a clear message.
#include "sitrep/store.h"
#include "store/db.h"

namespace sitrep::store {

std::unique_ptr<Db> OpenPostgres(const std::string& /*url*/) {
  throw StoreError("this sitrep was built without PostgreSQL support (libpqxx-dev)");
}

}  // namespace sitrep::store
