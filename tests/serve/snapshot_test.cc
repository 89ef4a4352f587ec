// The dashboard's in-memory answers (serve/snapshot.h) equal the store's SQL
// answers: pages in every sort order and direction, counts, aggregates by
// every key and key pair, and map points, over varied synthetic merged
// events and filters.
#include <gtest/gtest.h>

#include <filesystem>

#include "serve/snapshot.h"
#include "sitrep/store.h"
#include "synthetic_store.h"
#include "test_util.h"

namespace sitrep::serve {
namespace {

class SnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string db = sitrep::testing::TempPath("snapshot.db");
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::string err;
    store_ = Store::Open(db, &err).release();
    ASSERT_NE(store_, nullptr) << err;
    auto s = store_->Ingest(sitrep::testing::SyntheticBatch(600, 5));
    ASSERT_EQ(s.failed, 0u);
    ASSERT_GT(s.merged, 30u);
    memory_ = new Snapshot(store_->Version(), store_->AllClusters());
  }
  static void TearDownTestSuite() {
    delete memory_;
    delete store_;
  }
  static Store* store_;
  static Snapshot* memory_;
};
Store* SnapshotTest::store_ = nullptr;
Snapshot* SnapshotTest::memory_ = nullptr;

std::vector<EventFilter> Filters() {
  std::vector<EventFilter> fs(13);
  fs[1].group = "Taliban";
  fs[2].type = "raid";
  fs[3].country = "pk";
  fs[4].province = "HELMAND";
  fs[5].district = "kunduz d1";
  fs[6].since = "2011-03-05";
  fs[6].until = "2011-04-20";
  fs[7].leaders = true;
  fs[8].group = "imu";
  fs[8].type = "airstrike";
  fs[8].province = "Kunduz";
  fs[9].group = "nobody";
  fs[10].until = "2011-02-31";  // read as the store reads it (March 3)
  fs[11].since = "2011-06-01";
  fs[11].group = "haqqani";
  fs[12].type = "detention";
  fs[12].leaders = true;
  return fs;
}

std::string Show(const MergedEvent& m) {
  return m.cluster_id + " " + m.date + " " + m.admin1 + "/" + m.admin2 + " k" +
         (m.killed ? std::to_string(*m.killed) : "-") + " c" +
         (m.captured ? std::to_string(*m.captured) : "-") + " n" + std::to_string(m.count) + " s" +
         std::to_string(m.sources);
}

TEST_F(SnapshotTest, PagesAndCountsEqualTheStore) {
  ASSERT_EQ(memory_->size(), static_cast<size_t>(store_->Stats().clusters));
  int i = 0;
  for (const auto& f : Filters()) {
    SCOPED_TRACE("filter " + std::to_string(i++));
    EXPECT_EQ(memory_->Count(f), store_->CountEvents(f));
    for (const char* sort : {"date", "country", "province", "district", "place", "type", "group",
                             "actor", "killed", "captured", "sources", "count", "id", "bogus"})
      for (bool desc : {false, true})
        for (size_t offset : {0, 7, 45, 5000}) {
          EventOrder o;
          o.sort = sort;
          o.descending = desc;
          o.offset = offset;
          auto want = store_->Events(f, 40, o);
          auto got = memory_->Events(f, 40, o);
          ASSERT_EQ(got.size(), want.size()) << sort << (desc ? " desc " : " asc ") << offset;
          for (size_t k = 0; k < got.size(); ++k)
            ASSERT_EQ(Show(got[k]), Show(want[k]))
                << sort << (desc ? " desc " : " asc ") << offset << " row " << k;
        }
  }
}

TEST_F(SnapshotTest, AggregatesAndPointsEqualTheStore) {
  const GroupBy keys[] = {GroupBy::kMonth,   GroupBy::kWeek,  GroupBy::kProvince, GroupBy::kDistrict,
                          GroupBy::kCountry, GroupBy::kGroup, GroupBy::kType};
  int i = 0;
  for (const auto& f : Filters()) {
    SCOPED_TRACE("filter " + std::to_string(i++));
    for (GroupBy by : keys) {
      auto want = store_->Aggregate(f, by);
      auto got = memory_->Aggregate(f, by);
      ASSERT_EQ(got.size(), want.size()) << static_cast<int>(by);
      for (size_t k = 0; k < got.size(); ++k) {
        EXPECT_EQ(got[k].key, want[k].key);
        EXPECT_EQ(got[k].events, want[k].events) << got[k].key;
        EXPECT_EQ(got[k].count, want[k].count) << got[k].key;
        EXPECT_EQ(got[k].killed, want[k].killed) << got[k].key;
        EXPECT_EQ(got[k].captured, want[k].captured) << got[k].key;
      }
      for (GroupBy then : keys) {
        auto want2 = store_->Aggregate(f, by, then);
        auto got2 = memory_->Aggregate(f, by, then);
        ASSERT_EQ(got2.size(), want2.size()) << static_cast<int>(by) << " " << static_cast<int>(then);
        for (size_t k = 0; k < got2.size(); ++k) {
          EXPECT_EQ(got2[k].key, want2[k].key);
          EXPECT_EQ(got2[k].key2, want2[k].key2);
          EXPECT_EQ(got2[k].events, want2[k].events);
          EXPECT_EQ(got2[k].count, want2[k].count);
        }
      }
    }
    for (size_t limit : {size_t{3}, size_t{5000}}) {
      auto want = store_->Points(f, limit);
      auto got = memory_->Points(f, limit);
      ASSERT_EQ(got.size(), want.size());
      for (size_t k = 0; k < got.size(); ++k) {
        EXPECT_EQ(got[k].lat, want[k].lat);
        EXPECT_EQ(got[k].lon, want[k].lon);
        EXPECT_EQ(got[k].events, want[k].events);
        EXPECT_EQ(got[k].place, want[k].place);
        EXPECT_EQ(got[k].admin2, want[k].admin2);
        EXPECT_EQ(got[k].admin1, want[k].admin1);
        EXPECT_EQ(got[k].country, want[k].country);
      }
    }
  }
}

TEST_F(SnapshotTest, BadDatesFailAsInTheStore) {
  EventFilter f;
  f.since = "2011-13-01";
  EXPECT_THROW(memory_->Count(f), StoreError);
  EXPECT_THROW(store_->CountEvents(f), StoreError);
  EXPECT_TRUE(Snapshot::Handles(EventFilter{}));
  f.text = "raid";
  EXPECT_FALSE(Snapshot::Handles(f));
}

}  // namespace
}  // namespace sitrep::serve
