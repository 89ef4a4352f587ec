// ISAF-profile extraction on press releases written for these tests.
#include "test_util.h"

namespace sitrep {
namespace {

using testing::Isaf;

const char* kHeader = "2011-06-S-101\nISAF Joint Command - Afghanistan\nFor Immediate Release\n\n"
                      "KABUL, Afghanistan (June 8, 2011)\n";

TEST(IsafExtract, DetentionWithVagueQuantityAndLeader) {
  auto r = Isaf(std::string(kHeader) +
                "An Afghan and coalition security force captured a Taliban leader and detained "
                "several suspected insurgents in Arghandab district, Kandahar province, yesterday. "
                "The leader directed roadside bomb attacks against Afghan police.");
  EXPECT_EQ(r.start_date, "2011-06-07");
  EXPECT_EQ(r.province, std::vector<std::string>{"kandahar"});
  EXPECT_EQ(r.target_group, std::vector<std::string>{"taliban"});
  EXPECT_EQ(r.min_captured, 4);
  EXPECT_EQ(r.min_leaders_captured, 1);
  EXPECT_EQ(r.min_killed, 0);
  EXPECT_EQ(r.event_type, std::vector<std::string>{"detention"});
  EXPECT_TRUE(r.captureq);
}

TEST(IsafExtract, KillsFromAirstrikeOnAWeekday) {
  auto r = Isaf(std::string(kHeader) +
                "A precision airstrike killed two Haqqani network fighters in Sabari district, "
                "Khost province, Monday. No civilians were harmed in the strike.");
  EXPECT_EQ(r.start_date, "2011-06-06");  // June 8, 2011 was a Wednesday
  EXPECT_EQ(r.province, std::vector<std::string>{"khost"});
  EXPECT_EQ(r.target_group, std::vector<std::string>{"haqqani"});
  EXPECT_EQ(r.min_killed, 2);
  EXPECT_TRUE(r.airstrike);
  EXPECT_EQ(r.event_type, std::vector<std::string>{"airstrike"});
}

TEST(IsafExtract, NoGroupNamedGivesEmptyLabel) {
  auto r = Isaf(std::string(kHeader) +
                "Coalition forces detained two suspected insurgents during a patrol in Nad-e Ali "
                "district, Helmand province, today. No shots were fired.");
  EXPECT_EQ(r.target_group, std::vector<std::string>{""});
  EXPECT_EQ(r.province, std::vector<std::string>{"helmand"});
  EXPECT_EQ(r.min_captured, 2);
  EXPECT_TRUE(r.noshotsfired);
  EXPECT_EQ(r.start_date, "2011-06-08");
}

TEST(IsafExtract, KabulDatelineIsNotTheLocation) {
  auto r = Isaf(std::string(kHeader) +
                "Afghan forces arrested one insurgent in Zurmat district, Paktiya province.");
  EXPECT_EQ(r.province, std::vector<std::string>{"paktya"});
}

TEST(IsafExtract, DistrictAloneGivesItsProvince) {
  auto r = Isaf(std::string(kHeader) +
                "In Panjwa'i, a combined force detained three men suspected of planting bombs.");
  EXPECT_EQ(r.province, std::vector<std::string>{"kandahar"});
  EXPECT_EQ(r.min_captured, 3);
}

TEST(IsafExtract, IncludingDoesNotDoubleCount) {
  auto r = Isaf(std::string(kHeader) +
                "The security force detained five suspected insurgents, including a Haqqani "
                "commander, in Khost province today.");
  EXPECT_EQ(r.min_captured, 5);
  EXPECT_EQ(r.min_leaders_captured, 1);
}

TEST(IsafExtract, KillAndCapture) {
  auto r = Isaf(std::string(kHeader) +
                "An Afghan and coalition force killed one insurgent and detained two others "
                "during an operation in Ghazni province today.");
  EXPECT_EQ(r.min_killed, 1);
  EXPECT_EQ(r.min_captured, 2);
  EXPECT_EQ(r.event_type, std::vector<std::string>{"captureandkill"});
}

TEST(IsafExtract, CampaignStatisticsAreNotCounted) {
  auto r = Isaf(std::string(kHeader) +
                "Coalition forces detained two suspected insurgents in Khost province today. "
                "Afghan and coalition forces have detained more than 40 Haqqani fighters in the "
                "province since March.");
  EXPECT_EQ(r.min_captured, 2);
}

TEST(IsafExtract, ConfirmationDateYieldsToTheEventDay) {
  auto r = Isaf(std::string(kHeader) +
                "Today, Afghan and coalition forces confirmed a Taliban commander was arrested in "
                "Maiwand district, Kandahar province, Sunday.");
  EXPECT_EQ(r.start_date, "2011-06-05");  // the Sunday before Wednesday, June 8
  EXPECT_EQ(r.min_leaders_captured, 1);
}

TEST(IsafExtract, RoundUpIsDescribedByItsFirstOperation) {
  auto r = Isaf(std::string(kHeader) +
                "Afghan and coalition forces yesterday detained numerous suspected insurgents in two "
                "operations across Khost and Paktiya provinces.\n"
                "In Khost province, a combined force detained a Haqqani facilitator and two "
                "suspected insurgents in Sabari district.\n"
                "In Paktiya province, the force detained six suspected insurgents in Zurmat district.");
  EXPECT_EQ(r.province, std::vector<std::string>{"khost"});
  EXPECT_EQ(r.min_captured, 3);
  EXPECT_EQ(r.target_group, std::vector<std::string>{"haqqani"});
  EXPECT_EQ(r.start_date, "2011-06-07");
}

TEST(IsafExtract, HelicopterFireIsNotAnAirstrikeButANamedStrikeIs) {
  auto awt = Isaf(std::string(kHeader) +
                  "In Sangin district, Helmand province, a patrol came under fire. An air weapons "
                  "team engaged the firing position, killing two insurgents.");
  EXPECT_FALSE(awt.airstrike);
  EXPECT_EQ(awt.min_killed, 2);
  EXPECT_EQ(awt.event_type, std::vector<std::string>{"insurgentskilled"});
  auto strike = Isaf(std::string(kHeader) +
                     "Coalition aircraft struck a group of insurgents in Zabul province, killing "
                     "three of them.");
  EXPECT_TRUE(strike.airstrike);
  EXPECT_EQ(strike.min_killed, 3);
}

TEST(IsafExtract, RetellingsAndPassives) {
  auto r = Isaf(std::string(kHeader) +
                "An Afghan and coalition patrol killed one insurgent during a clearing operation in "
                "Garmsir district, Helmand province, today. Numerous others were detained. The "
                "insurgent was killed after he fired on the patrol. The security force did not fire "
                "their weapons at the compound.");
  EXPECT_EQ(r.min_killed, 1);
  EXPECT_EQ(r.min_captured, 4);
  EXPECT_TRUE(r.noshotsfired);
  EXPECT_EQ(r.event_type, std::vector<std::string>{"captureandkill"});
}

TEST(IsafExtract, AppositionGivesTheRole) {
  auto r = Isaf(std::string(kHeader) +
                "Mullah Gul Rahim, a senior Taliban commander in the district, was killed during a "
                "security operation in Nawa district, Ghazni province, yesterday.");
  EXPECT_EQ(r.min_killed, 1);
  EXPECT_EQ(r.min_leaders_killed, 1);
  EXPECT_EQ(r.province, std::vector<std::string>{"ghazni"});
}

TEST(IsafExtract, AppendedUpdateDoesNotMoveTheEvent) {
  auto r = Isaf(std::string(kHeader) +
                "Coalition forces detained three suspected insurgents in Baraki Barak district, "
                "Logar province, yesterday.\n\nUPDATE: Forces confirm capture of leader\n"
                "ISAF Joint Command - Afghanistan\n2011-06-S-140\n\nKABUL, Afghanistan (June 12, "
                "2011)\nISAF confirmed one of the men detained in Logar is a Taliban commander. In "
                "Kunar province, forces also killed two insurgents.");
  EXPECT_EQ(r.province, std::vector<std::string>{"logar"});
  EXPECT_EQ(r.start_date, "2011-06-07");
  EXPECT_EQ(r.min_killed, 0);
}

TEST(IsafExtract, PassiveSubjectsWithDescriptions) {
  auto a = Isaf(std::string(kHeader) +
                "Three Taliban fighters were killed when coalition forces returned fire in Nawa "
                "district, Helmand province, on Monday.");
  EXPECT_EQ(a.min_killed, 3);
  auto b = Isaf(std::string(kHeader) +
                "Five men suspected of planting bombs were arrested in Zharay district, Kandahar "
                "province, today.");
  EXPECT_EQ(b.min_captured, 5);
}

TEST(IsafExtract, BackgroundDatesDoNotDateTheEvent) {
  // "the May 30 bombing" names another event; "since" opens a span.
  auto r = Isaf(std::string(kHeader) +
                "A combined force detained a Taliban commander linked to the May 30 bombing in "
                "Qalat district, Zabul province, today. Forces have detained 12 such commanders "
                "since April 2.");
  EXPECT_EQ(r.start_date, "2011-06-08");
  auto weekday = Isaf(std::string(kHeader) +
                      "Coalition aircraft struck a Haqqani cell planning attacks on Sunday's "
                      "market day in Khost province, killing two fighters.");
  EXPECT_EQ(weekday.start_date, "2011-06-08");
}

TEST(IsafExtract, RecentlyDefersToALaterDate) {
  auto r = Isaf(std::string(kHeader) +
                "Coalition forces confirmed today that they recently detained a weapons "
                "facilitator in Kandahar province. The facilitator was arrested June 2 in "
                "Zharay district.");
  EXPECT_EQ(r.start_date, "2011-06-02");
}

TEST(IsafExtract, RetellingsAreNotCountedTwice) {
  // A definite article covers the bare phrase joined to it; "the now-held
  // man" is an adjective; a retelling with a number refines "several".
  auto r = Isaf(std::string(kHeader) +
                "Afghan forces detained a Taliban bomb maker and several suspects in Shah Joy "
                "district, Zabul province, yesterday. Forces detained the bomb maker and "
                "additional suspects after questioning. The now-detained man built devices for "
                "attacks on the highway. In all, the force detained four suspects.");
  EXPECT_EQ(r.min_captured, 5);
  auto others = Isaf(std::string(kHeader) +
                     "Two Haqqani facilitators and two other fighters were captured in Sabari "
                     "district, Khost province, today. The force captured the facilitators at a "
                     "compound. Two other fighters were also captured.");
  EXPECT_EQ(others.min_captured, 4);
}

TEST(IsafExtract, ElidedNounsNamesAndAntecedents) {
  auto one = Isaf(std::string(kHeader) +
                  "Coalition forces targeted two IMU leaders, detaining one, in Burka "
                  "district, Baghlan province, yesterday. The force also killed several "
                  "fighters.");
  EXPECT_EQ(one.min_captured, 1);
  EXPECT_EQ(one.min_leaders_captured, 1);
  EXPECT_EQ(one.min_killed, 3);
  auto named = Isaf(std::string(kHeader) +
                    "Karim Gul and two Taliban fighters were killed in a strike in Musa Qal'ah "
                    "district, Helmand province, yesterday.");
  EXPECT_EQ(named.min_killed, 3);
  auto them = Isaf(std::string(kHeader) +
                   "A ground force found five armed insurgents in Dand district, Kandahar "
                   "province, today. The force detained them without a shot.");
  EXPECT_EQ(them.min_captured, 5);
  auto one_person = Isaf(std::string(kHeader) +
                         "Forces detained a Taliban weapons trader and facilitator in Maiwand "
                         "district, Kandahar province, today.");
  EXPECT_EQ(one_person.min_captured, 1);
}

TEST(IsafExtract, CivilianCasualtyRelease) {
  auto r = Isaf(std::string(kHeader) +
                "ISAF is reviewing reports that four Afghan civilians were accidentally killed "
                "during a firefight in Garmsir district, Helmand province, yesterday. Two more "
                "were wounded.");
  EXPECT_EQ(r.event_type, std::vector<std::string>{"civiliancasualty"});
  EXPECT_EQ(r.min_killed, 4);
  EXPECT_TRUE(r.killq);
  EXPECT_EQ(r.target_group, std::vector<std::string>{""});
}

TEST(IsafExtract, AimsAndOlderEventsAreNotOutcomes) {
  auto r = Isaf(std::string(kHeader) +
                "Forces have focused on capturing and killing bomb makers in Kandahar "
                "province. A combined force detained two suspected insurgents in Dand "
                "district today. One of them worked for a commander who was killed in an "
                "air strike last week.");
  EXPECT_EQ(r.min_killed, 0);
  EXPECT_FALSE(r.killq);
  EXPECT_EQ(r.min_captured, 2);
  EXPECT_EQ(r.event_type, std::vector<std::string>{"detention"});
  EXPECT_FALSE(r.airstrike);  // the strike that killed the commander came before
}

TEST(IsafExtract, DatesInMarchAreDates) {
  auto r = Isaf("2012-03-S-011\nKABUL, Afghanistan (March 9, 2012)\n"
                "The force confirmed that it detained a Taliban facilitator in Maiwand "
                "district, Kandahar province, March 6.");
  EXPECT_EQ(r.start_date, "2012-03-06");
}

TEST(IsafExtract, StrikeIsWhatAircraftDid) {
  auto support = Isaf(std::string(kHeader) +
                      "Coalition aircraft flew overhead while a ground force detained one "
                      "suspected insurgent in Sangin district, Helmand province, today.");
  EXPECT_FALSE(support.airstrike);
  auto strike = Isaf(std::string(kHeader) +
                     "After the patrol came under fire in Sangin district, Helmand province, "
                     "supporting aircraft dropped two bombs on the firing position today.");
  EXPECT_TRUE(strike.airstrike);
  EXPECT_EQ(strike.event_type, std::vector<std::string>{"airstrike"});
}

TEST(IsafExtract, SecondTargetedGroupJoinsTheLabel) {
  auto two = Isaf(std::string(kHeader) +
                  "Afghan forces detained a Haqqani facilitator and a Taliban sub-commander in "
                  "Zurmat district, Paktiya province, today.");
  EXPECT_EQ(two.target_group, std::vector<std::string>{"haqqani;taliban"});
  auto ties = Isaf(std::string(kHeader) +
                   "Afghan forces detained a Taliban leader in Zurmat district, Paktiya "
                   "province, today. The leader has ties with al-Qaida and Haqqani leaders.");
  EXPECT_EQ(ties.target_group, std::vector<std::string>{"taliban"});
  auto joint = Isaf(std::string(kHeader) +
                    "Afghan forces detained an al-Qaida associated Taliban leader in Dara-ye "
                    "Pech district, Kunar province, today.");
  EXPECT_EQ(joint.target_group, std::vector<std::string>{"aq;taliban"});
}

TEST(IsafExtract, HeadlineIsNotCountedAgain) {
  auto r = Isaf("Coalition Force Detains Two Suspected Insurgents in Kunduz\n"
                "2010-07-CA-092\nKABUL, Afghanistan (July 15)\n"
                "A coalition precision strike killed three insurgents in Kunduz province "
                "today.");
  EXPECT_EQ(r.min_captured, 0);
  EXPECT_EQ(r.min_killed, 3);
}

TEST(IsafExtract, IncludingAfterPlaceAndTime) {
  auto r = Isaf(std::string(kHeader) +
                "A combined force detained five suspected insurgents in Paktiya province last "
                "night, including a Haqqani sub-commander. After questioning, the "
                "sub-commander and four additional suspected insurgents were detained.");
  EXPECT_EQ(r.min_captured, 5);
  EXPECT_EQ(r.min_leaders_captured, 1);
  auto vague = Isaf(std::string(kHeader) +
                    "Forces detained several Taliban insurgents in Zabul province Monday, "
                    "including a Taliban commander. The force detained the commander along "
                    "with several of his associates.");
  EXPECT_EQ(vague.min_captured, 4);
}

}  // namespace
}  // namespace sitrep
