// BuildBrief: the queries behind a brief and the templates of its summary.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "query/merge.h"
#include "report/report.h"

namespace sitrep::report {
namespace {

bool Has(const std::vector<std::string>& v, const char* x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Capitalise(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

bool IsLeaderRole(const std::string& role) {
  return role.find("leader") != std::string::npos ||
         role.find("commander") != std::string::npos || role == "shadow_governor";
}

std::string Plural(int64_t n, const std::string& one, const std::string& many) {
  return n == 1 ? one : many;
}

// Names of a group as the templates use them.
struct GroupWords {
  std::string first;  // "the Islamic Movement of Uzbekistan (IMU)"
  std::string the;    // "the IMU"
  std::string adj;    // "IMU"
};

GroupWords WordsFor(const GroupName& g) {
  GroupWords w;
  std::string lower = Lower(g.name);
  bool no_article = lower.rfind("al ", 0) == 0 || lower.rfind("al-", 0) == 0;
  std::string art = no_article ? "" : "the ";
  size_t words = static_cast<size_t>(std::count(g.name.begin(), g.name.end(), ' ')) + 1;
  bool use_short = !g.short_name.empty() && words >= 3;
  w.first = art + g.name + (use_short ? " (" + g.short_name + ")" : "");
  w.the = use_short ? "the " + g.short_name : art + g.name;
  w.adj = use_short ? g.short_name : g.name;
  return w;
}

// Writes a sentence piece by piece.
class Writer {
 public:
  explicit Writer(Brief* b) : b_(b) {}
  Writer& T(const std::string& text) {
    Piece p;
    p.text = text;
    s_.pieces.push_back(p);
    return *this;
  }
  Writer& N(const std::string& key, int64_t value, int note, bool capitalise = false) {
    Piece p;
    p.kind = Piece::kNumber;
    p.key = key;
    p.value = value;
    p.text = NumberWord(value, capitalise);
    p.note = note;
    s_.pieces.push_back(p);
    return *this;
  }
  Writer& D(const std::string& key, const std::string& date, bool with_year) {
    Piece p;
    p.kind = Piece::kDate;
    p.key = key;
    p.date = date;
    p.text = ApDate(date, with_year);
    s_.pieces.push_back(p);
    return *this;
  }
  Writer& M(const std::string& key, const std::string& month, bool with_year) {
    Piece p;
    p.kind = Piece::kMonth;
    p.key = key;
    p.date = month;
    p.text = MonthName(month, with_year);
    s_.pieces.push_back(p);
    return *this;
  }
  Writer& Name(Piece::Kind kind, const std::string& key, const std::string& text, int note = 0) {
    Piece p;
    p.kind = kind;
    p.key = key;
    p.text = text;
    p.note = note;
    s_.pieces.push_back(p);
    return *this;
  }
  // Shows the footnote of the last piece after the `n` pieces that follow it.
  Writer& Later(int n = 1) {
    if (!s_.pieces.empty()) s_.pieces.back().mark_after = n;
    return *this;
  }
  void End() {
    if (!s_.pieces.empty()) b_->summary.push_back(std::move(s_));
    s_ = Sentence();
  }

 private:
  Brief* b_;
  Sentence s_;
};

// Re-anchors a cite in the stored text: offsets are kept when they slice the
// quoted sentence, else the sentence is looked up (pages stored as HTML index
// their cleaned text). False when the sentence is not in the document.
bool Anchor(const std::string& text, Cite* c) {
  if (c->end >= c->start && c->end <= text.size() &&
      text.compare(c->start, c->end - c->start, c->text) == 0)
    return true;
  if (c->text.empty()) return false;
  size_t at = text.find(c->text);
  if (at == std::string::npos) return false;
  c->start = static_cast<uint32_t>(at);
  c->end = static_cast<uint32_t>(at + c->text.size());
  return true;
}

class Builder {
 public:
  Builder(Store& store, const Options& o, Brief* b) : store_(store), o_(o), b_(b) {}

  bool Run(std::string* error);

 private:
  GroupName NameOf(const std::string& id) const {
    GroupName g;
    if (o_.names) g = o_.names(id);
    if (g.name.empty()) g.name = id;
    return g;
  }
  const Document* Doc(const std::string& id) {
    auto it = docs_.find(id);
    if (it != docs_.end()) return it->second.id.empty() ? nullptr : &it->second;
    Document& d = docs_[id];
    if (auto sd = store_.FindDocument(id)) d = sd->doc;
    return d.id.empty() ? nullptr : &d;
  }
  Cite MakeCite(const std::string& doc_id, const Evidence& ev) {
    Cite c;
    c.doc_id = doc_id;
    c.start = ev.start;
    c.end = ev.end;
    c.text = ev.text;
    if (const Document* d = Doc(doc_id)) {
      c.url = d->url;
      c.title = d->title;
      c.published = d->published;
    }
    return c;
  }
  // Keeps the cites that exist in their documents.
  void AddCite(std::vector<Cite>* out, Cite c) {
    const Document* d = Doc(c.doc_id);
    if (!d || !Anchor(d->text, &c)) {
      ++dropped_;
      return;
    }
    for (const auto& x : *out)
      if (x.doc_id == c.doc_id && x.start == c.start && x.end == c.end) return;
    out->push_back(std::move(c));
  }
  EventEntry Entry(const MergedEvent& m);
  int AddNote(const std::string& what, const std::vector<const EventEntry*>& events,
              std::vector<int> see = {});
  void Summarise();

  Store& store_;
  const Options& o_;
  Brief* b_;
  std::map<std::string, Document> docs_;
  int dropped_ = 0;
};

EventEntry Builder::Entry(const MergedEvent& m) {
  EventEntry e;
  e.ev = m;
  e.raid = Has(m.types, "raid");
  e.strike = !e.raid && (Has(m.types, "airstrike") || Has(m.types, "drone_strike"));
  e.operations = e.raid || e.strike ? std::max(1, m.count) : 0;
  e.leaders_killed = m.leaders_killed.value_or(0);
  e.leaders_captured = m.leaders_captured.value_or(0);
  for (const auto& s : store_.Sources(m.cluster_id)) {
    e.docs.push_back(s.doc_id);
    for (const auto& ev : s.event.evidence) AddCite(&e.cites, MakeCite(s.doc_id, ev));
    int fk = 0, fc = 0;
    for (const auto& p : s.event.people) {
      if (p.role == "facilitator" && p.fate == "killed") ++fk;
      if (p.role == "facilitator" && p.fate == "captured") ++fc;
      bool dup = false;
      for (auto& q : e.people)
        if (q.role == p.role && q.fate == p.fate &&
            (q.name == p.name || q.name.empty() || p.name.empty())) {
          if (q.name.empty()) q.name = p.name;
          dup = true;
          break;
        }
      if (!dup && !p.role.empty()) e.people.push_back({p.name, p.role, p.fate});
    }
    // Like the merged counts: the largest any report gives.
    e.facilitators_killed = std::max(e.facilitators_killed, fk);
    e.facilitators_captured = std::max(e.facilitators_captured, fc);
  }
  std::sort(e.docs.begin(), e.docs.end());
  e.docs.erase(std::unique(e.docs.begin(), e.docs.end()), e.docs.end());
  return e;
}

int Builder::AddNote(const std::string& what, const std::vector<const EventEntry*>& events,
                     std::vector<int> see) {
  Note n;
  n.n = static_cast<int>(b_->notes.size()) + 1;
  n.what = what;
  n.see = std::move(see);
  for (const EventEntry* e : events) {
    n.events.push_back(e->n);
    for (const auto& c : e->cites) n.cites.push_back(c);
  }
  b_->notes.push_back(std::move(n));
  return b_->notes.back().n;
}

bool Builder::Run(std::string* error) {
  Brief& b = *b_;
  b.options = o_;
  EventFilter f;
  f.group = o_.filter.group;
  f.country = o_.filter.country;
  f.province = o_.filter.province;
  f.since = o_.filter.since;
  f.until = o_.filter.until;
  b.group_id = Lower(f.group);
  if (!b.group_id.empty()) b.group = NameOf(b.group_id);

  std::vector<std::string> parts;
  if (!f.group.empty()) parts.push_back("group " + b.group.name + " (" + b.group_id + ")");
  if (!f.country.empty()) parts.push_back("country " + f.country);
  if (!f.province.empty()) parts.push_back("province " + f.province);
  if (!f.since.empty()) parts.push_back("since " + f.since);
  if (!f.until.empty()) parts.push_back("until " + f.until);
  b.filter_text = parts.empty() ? "every event in the store" : JoinList(parts);

  auto merged = store_.Events(f, o_.max_events);
  if (merged.empty()) {
    *error = "the store holds no events for " + b.filter_text;
    return false;
  }
  // The period: the filter's bounds, else the first and last dated events.
  std::string first, last;
  for (const auto& m : merged)
    if (query::DayNumber(m.date)) {
      if (first.empty() || m.date < first) first = m.date;
      if (last.empty() || m.date > last) last = m.date;
    }
  b.current.from = f.since.empty() ? first : f.since;
  b.current.to = f.until.empty() ? last : f.until;
  auto d0 = query::DayNumber(b.current.from), d1 = query::DayNumber(b.current.to);
  if (d0 && d1 && *d1 >= *d0) {
    b.current.days = *d1 - *d0 + 1;
    b.previous.to = query::DayString(*d0 - 1);
    b.previous.from = query::DayString(*d0 - b.current.days);
    b.previous.days = b.current.days;
  }

  auto count = [](PeriodCount* pc, const EventEntry& e) {
    if (e.raid) pc->raids += e.operations;
    if (e.strike) pc->strikes += e.operations;
    if (!e.raid && !e.strike) ++pc->other;
    pc->killed += e.ev.killed.value_or(0);
    pc->captured += e.ev.captured.value_or(0);
  };
  for (const auto& m : merged) {
    b.events.push_back(Entry(m));
    b.events.back().n = static_cast<int>(b.events.size());
    count(&b.current, b.events.back());
  }
  if (b.previous.days > 0) {
    EventFilter pf = f;
    pf.since = b.previous.from;
    pf.until = b.previous.to;
    for (const auto& m : store_.Events(pf, o_.max_events)) {
      b.prior.push_back(Entry(m));
      b.prior.back().n = -static_cast<int>(b.prior.size());
      count(&b.previous, b.prior.back());
    }
  }

  // Months of both periods, every month between the first and the last.
  std::map<std::string, MonthRow> months;
  auto add_month = [&](const EventEntry& e, bool previous) {
    if (e.ev.date.size() < 7) return;
    MonthRow& r = months[e.ev.date.substr(0, 7)];
    r.month = e.ev.date.substr(0, 7);
    r.previous = previous;
    if (e.raid) r.raids += e.operations;
    if (e.strike) r.strikes += e.operations;
    if (!e.raid && !e.strike) ++r.other;
  };
  for (const auto& e : b.prior) add_month(e, true);
  for (const auto& e : b.events) add_month(e, false);
  std::string lo = !b.previous.from.empty() ? b.previous.from.substr(0, 7)
                   : months.empty()          ? ""
                                             : months.begin()->first;
  std::string hi = b.current.to.size() >= 7 ? b.current.to.substr(0, 7)
                   : months.empty()          ? ""
                                             : months.rbegin()->first;
  if (!months.empty()) {
    lo = std::min(lo, months.begin()->first);
    hi = std::max(hi, months.rbegin()->first);
  }
  if (lo.size() == 7 && hi.size() == 7) {
    int y = std::atoi(lo.substr(0, 4).c_str()), mo = std::atoi(lo.substr(5, 2).c_str());
    if (mo < 1 || mo > 12) mo = 1;
    for (int guard = 0; guard < 1200; ++guard) {
      char key[16];
      std::snprintf(key, sizeof key, "%04d-%02d", y, mo);
      if (std::string(key) > hi) break;
      MonthRow& r = months[key];
      if (r.month.empty()) {
        r.month = key;
        r.previous = !b.current.from.empty() && std::string(key) < b.current.from.substr(0, 7);
      }
      if (++mo > 12) {
        mo = 1;
        ++y;
      }
    }
  }
  for (auto& [k, r] : months) b.months.push_back(r);

  std::map<std::string, int64_t> provinces;
  for (const auto& e : b.events)
    if (e.operations > 0) provinces[e.ev.admin1] += e.operations;
  for (const auto& [p, n] : provinces) b.provinces.push_back({p, n});

  // Stated relationships of the group (or of the groups in the events).
  std::set<std::string> groups;
  if (!b.group_id.empty()) {
    groups.insert(b.group_id);
  } else {
    for (const auto& e : b.events) groups.insert(e.ev.groups.begin(), e.ev.groups.end());
  }
  std::map<std::tuple<std::string, std::string, std::string>, RelationEntry> rel;
  for (const auto& r : store_.Relations()) {
    if (!groups.count(Lower(r.relation.a)) && !groups.count(Lower(r.relation.b))) continue;
    RelationEntry& x = rel[{r.relation.a, r.relation.kind, r.relation.b}];
    x.a = r.relation.a;
    x.b = r.relation.b;
    x.kind = r.relation.kind;
    for (const auto& ev : r.relation.evidence) AddCite(&x.cites, MakeCite(r.doc_id, ev));
  }
  for (auto& [k, x] : rel) b.relations.push_back(std::move(x));

  // Who did it: one named force when every operation names the same one.
  std::set<std::string> actors;
  for (const auto& e : b.events) actors.insert(e.ev.actor);
  b.subject = "Security forces";
  if (actors.size() == 1 && !actors.begin()->empty()) {
    GroupName a = NameOf(*actors.begin());
    if (a.name != *actors.begin()) b.subject = Capitalise(a.name);
  }

  std::string who = b.group_id.empty() ? "Events" : b.group.name;
  b.title = who + ": " + (b.current.from.empty() ? "all dates"
                                                  : ApDate(b.current.from, true) + " to " +
                                                        ApDate(b.current.to, true));
  StoreStats st = store_.Stats();
  b.store_label = store_.backend() + " store: " + std::to_string(st.documents) + " documents, " +
                  std::to_string(st.clusters) + " merged events";
  Summarise();
  if (dropped_ > 0)
    b.warnings.push_back(std::to_string(dropped_) +
                         " source sentence(s) not found in their stored documents were left out");
  return true;
}

void Builder::Summarise() {
  Brief& b = *b_;
  const PeriodCount& cur = b.current;
  const PeriodCount& prev = b.previous;
  GroupWords g = b.group_id.empty() ? GroupWords{"armed groups", "armed groups", "armed group"}
                                    : WordsFor(b.group);
  bool years = cur.from.size() >= 4 && cur.to.size() >= 4 &&
               cur.from.substr(0, 4) != cur.to.substr(0, 4);
  int64_t ops = cur.operations();
  std::string noun = cur.raids > 0 && cur.strikes > 0 ? "raids and strikes"
                     : cur.raids > 0                  ? "raids"
                                                      : "strikes";
  std::vector<const EventEntry*> raids, strikes, opsv, other;
  for (const auto& e : b.events) {
    if (e.raid) raids.push_back(&e);
    if (e.strike) strikes.push_back(&e);
    if (e.operations > 0) opsv.push_back(&e);
    if (e.operations == 0) other.push_back(&e);
  }
  auto period_words = [&](Writer& w) {
    if (cur.from.empty() || cur.to.empty()) return;
    if (cur.from == cur.to) {
      w.T(" on ").D("period.from", cur.from, true);
      return;
    }
    w.T(" between ").D("period.from", cur.from, years);
    if (years) w.T(",");
    w.T(" and ").D("period.to", cur.to, true);
  };

  // Stepped up (or not): no numbers, the comparison sentence gives them.
  int64_t prev_ops = prev.operations();
  bool compare = prev.days > 0;
  bool they = false;
  // Only against a previous period the store has data for: a store that
  // starts with the period has not "stepped up" anything.
  if (compare && prev_ops > 0 && ops > prev_ops) {
    Writer w(&b);
    w.T(b.subject + " have stepped up their targeting of " + g.first + ".");
    w.End();
    g.first = g.the;
    they = true;
  } else if (compare && ops < prev_ops) {
    Writer w(&b);
    w.T("Operations against " + g.first + " have slowed.");
    w.End();
    g.first = g.the;
  }

  // The count, the provinces and the period.
  if (ops > 0) {
    Writer w(&b);
    w.T((they ? std::string("They") : b.subject) + " targeted " + g.first + " in ");
    g.first = g.the;
    if (cur.raids > 0) {
      w.N("raids.total", cur.raids, AddNote("raids", raids))
          .Later()
          .T(" " + Plural(cur.raids, "raid", "raids"));
    }
    if (cur.strikes > 0) {
      if (cur.raids > 0) w.T(" and ");
      w.N("strikes.total", cur.strikes, AddNote("air and drone strikes", strikes))
          .Later()
          .T(" air " + Plural(cur.strikes, "strike", "strikes"));
    }
    std::vector<std::string> named;
    int64_t unnamed = 0;
    for (const auto& [p, n] : b.provinces) {
      if (p.empty())
        unnamed += n;
      else
        named.push_back(p);
    }
    if (!named.empty()) {
      w.T(" in ");
      for (size_t i = 0; i < named.size(); ++i) {
        if (i > 0) w.T(named.size() == 2 ? " and " : (i + 1 == named.size() ? ", and " : ", "));
        w.Name(Piece::kPlace, "province", named[i]);
      }
      w.T(named.size() == 1 ? " province" : " provinces");
    }
    if (unnamed > 0) {
      std::vector<const EventEntry*> un;
      for (const auto* e : opsv)
        if (e->ev.admin1.empty()) un.push_back(e);
      w.T(named.empty() ? " (" : " (and ")
          .N("operations.no_province", unnamed, AddNote("raids and strikes without a province", un))
          .T(named.empty() ? " in places the sources do not name)" : " where the sources name no province)");
    }
    period_words(w);
    w.T(".");
    w.End();
  }
  if (!other.empty()) {
    Writer w(&b);
    w.T(ops > 0 ? "The sources also report " : "The sources report ")
        .N("other.total", static_cast<int64_t>(other.size()),
           AddNote("incidents that are neither raids nor strikes", other))
        .T(ops > 0 ? " other " : " ")
        .T(Plural(static_cast<int64_t>(other.size()), "incident", "incidents") + " involving " +
           g.first);
    g.first = g.the;
    if (ops == 0) period_words(w);
    w.T(".");
    w.End();
  }

  // The monthly breakdown of the raids (of the strikes when there is no
  // raid), latest month first: the unit `sitrep claims check` reads.
  bool by_raids = cur.raids > 0;
  std::string unit = by_raids ? "raids" : "strikes";
  int64_t unit_total = by_raids ? cur.raids : cur.strikes;
  auto in_unit = [&](const MonthRow& m) { return by_raids ? m.raids : m.strikes; };
  std::vector<const MonthRow*> busy;
  for (const auto& m : b.months)
    if (!m.previous && in_unit(m) > 0) busy.push_back(&m);
  std::reverse(busy.begin(), busy.end());
  if (busy.size() == 1 && unit_total > 1) {
    Writer w(&b);
    w.T("All of those " + unit + " took place in ")
        .M("month." + busy[0]->month, busy[0]->month, years)
        .T(".");
    w.End();
  } else if (busy.size() > 1) {
    Writer w(&b);
    for (size_t i = 0; i < busy.size(); ++i) {
      const MonthRow& m = *busy[i];
      std::vector<const EventEntry*> in;
      for (const auto* e : by_raids ? raids : strikes)
        if (e->ev.date.compare(0, 7, m.month) == 0) in.push_back(e);
      int note = AddNote(unit + " in " + MonthName(m.month, true), in);
      if (i > 0) w.T(busy.size() == 2 ? " and " : (i + 1 == busy.size() ? ", and " : ", "));
      if (i == 0 && in_unit(m) >= 100) {  // no digits to start a sentence
        w.T("Of those " + unit + ", ").N(unit + ".month." + m.month, in_unit(m), note).Later(3);
        w.T(" took place");
      } else {
        w.N(unit + ".month." + m.month, in_unit(m), note, i == 0).Later(i == 0 ? 3 : 2);
        if (i == 0) w.T(" of those " + unit + " took place");
      }
      w.T(" in ").M("month." + m.month, m.month, years);
    }
    w.T(".");
    w.End();
  }

  // Leaders and facilitators.
  int64_t lk = 0, lc = 0, fk = 0, fc = 0;
  std::vector<const EventEntry*> elk, elc, efk, efc;
  std::vector<std::string> nlk, nlc;
  for (const auto& e : b.events) {
    if (e.leaders_killed > 0) {
      lk += e.leaders_killed;
      elk.push_back(&e);
    }
    if (e.leaders_captured > 0) {
      lc += e.leaders_captured;
      elc.push_back(&e);
    }
    if (e.facilitators_killed > 0) {
      fk += e.facilitators_killed;
      efk.push_back(&e);
    }
    if (e.facilitators_captured > 0) {
      fc += e.facilitators_captured;
      efc.push_back(&e);
    }
    for (const auto& p : e.people) {
      if (p.name.empty() || !IsLeaderRole(p.role)) continue;
      if (p.fate == "killed" && e.leaders_killed > 0) nlk.push_back(p.name);
      if (p.fate == "captured" && e.leaders_captured > 0) nlc.push_back(p.name);
    }
  }
  std::string course = ops > 0 ? "In the course of those " + noun + ", " : "In those incidents, ";
  auto names = [](Writer& w, const std::vector<std::string>& v, int64_t n, const std::string& key) {
    if (v.empty()) return;
    size_t k = std::min<size_t>(v.size(), static_cast<size_t>(n));
    w.T(k == static_cast<size_t>(n) ? " (" : " (among them ");
    for (size_t i = 0; i < k; ++i) {
      if (i > 0) w.T(k == 2 ? " and " : (i + 1 == k ? ", and " : ", "));
      w.Name(Piece::kName, key, v[i]);
    }
    w.T(")");
  };
  if (lk > 0 || lc > 0) {
    Writer w(&b);
    w.T(course + "the forces " + (lk > 0 ? "killed " : ""));
    if (lk > 0) {
      w.N("leaders.killed", lk, AddNote("leaders and commanders killed", elk)).Later();
      w.T(" " + g.adj + " " + Plural(lk, "leader", "leaders"));
      names(w, nlk, lk, "leaders.killed.name");
      w.T(lk > 0 && lc > 0 ? " and captured " : "");
    } else {
      w.T("captured ");
    }
    if (lc > 0) {
      w.N("leaders.captured", lc, AddNote("leaders and commanders captured", elc));
      if (lk == 0) w.Later().T(" " + g.adj + " " + Plural(lc, "leader", "leaders"));
      names(w, nlc, lc, "leaders.captured.name");
    }
    w.T(".");
    w.End();
  }
  if (fk > 0 || fc > 0) {
    Writer w(&b);
    w.T(lk > 0 || lc > 0 ? "The " + std::string(ops > 0 ? noun : "incidents") +
                               " also resulted in "
                         : course + "the forces' operations resulted in ");
    if (fc > 0) {
      w.T("the capture of ")
          .N("facilitators.captured", fc, AddNote("facilitators captured", efc))
          .Later()
          .T(" " + Plural(fc, "facilitator", "facilitators"));
    }
    if (fk > 0) {
      if (fc > 0) {
        w.T(" and the death of ").N("facilitators.killed", fk, AddNote("facilitators killed", efk));
      } else {
        w.T("the death of ")
            .N("facilitators.killed", fk, AddNote("facilitators killed", efk))
            .Later()
            .T(" " + Plural(fk, "facilitator", "facilitators"));
      }
    }
    w.T(".");
    w.End();
  }
  if (lk == 0 && lc == 0 && fk == 0 && fc == 0) {
    Writer w(&b);
    w.T("The sources report no leader or facilitator of " + g.the + " killed or captured.");
    w.End();
  }

  // The previous period of the same length.
  if (compare) {
    bool by_ops = ops > 0 || prev_ops > 0;
    int64_t c = by_ops ? ops : cur.other, p = by_ops ? prev_ops : prev.other;
    std::string what = by_ops ? (cur.raids + prev.raids > 0 && cur.strikes + prev.strikes > 0
                                     ? "raids and strikes"
                                 : cur.raids + prev.raids > 0 ? "raids"
                                                              : "strikes")
                              : "incidents";
    std::vector<const EventEntry*> pe, ce;
    for (const auto& e : b.prior)
      if (!by_ops || e.operations > 0) pe.push_back(&e);
    for (const auto& e : b.events)
      if (!by_ops || e.operations > 0) ce.push_back(&e);
    bool pyears = prev.from.substr(0, 4) != prev.to.substr(0, 4) || years;
    auto prev_period = [&](Writer& w) {
      if (prev.days == 1) {
        w.T(" on the previous day (").D("previous.to", prev.to, true).T(")");
        return;
      }
      w.T(" in the previous ")
          .N("period.days", prev.days, 0)
          .T(" days (")
          .D("previous.from", prev.from, pyears)
          .T(pyears ? ", to " : " to ")
          .D("previous.to", prev.to, true)
          .T(")");
    };
    Writer w(&b);
    if (p == 0) {
      std::string none = what == "raids and strikes" ? "raids or strikes" : what;
      w.T("The store holds no " + none + " against " + g.the);
      prev_period(w);
      w.T(".");
    } else {
      int cn = AddNote(what + ", current period", ce);
      int pn = AddNote(what + ", previous period", pe);
      w.T("The ").N("compare.current", c, cn).Later().T(" " + what);
      w.T(" compare with ");
      w.N("compare.previous", p, pn);
      prev_period(w);
      if (c == p) {
        w.T(", the same number.");
      } else {
        int dn = AddNote("difference of the two periods", {}, {cn, pn});
        w.T(c > p ? ", an increase of " : ", a decrease of ")
            .N("compare.change", c > p ? c - p : p - c, dn)
            .T(".");
      }
    }
    w.End();
  }
}

}  // namespace

bool BuildBrief(Store& store, const Options& options, Brief* brief, std::string* error) {
  *brief = Brief();
  Builder builder(store, options, brief);
  return builder.Run(error);
}

}  // namespace sitrep::report
