// Claim parsing: the fallback parser of `sitrep claims check`
// (query::ParseClaim, NormaliseClaim). The extractor's claim finder runs in
// fuzz_extract (profile full).
#include "fuzz_util.h"
#include "query/claim_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t mode = in.Byte();
  std::string text(in.Rest());
  sitrep::query::ClaimParseOptions o;
  o.group_of = [](const std::string& s) { return s == "Taliban" ? std::string("taliban") : std::string(); };
  o.province_of = [](const std::string& s) {
    return s == "Kunduz" || s == "Helmand" ? s : std::string();
  };
  if (mode & 1) o.as_of = "2011-05-05";
  if (mode & 2) o.as_of = "9999-12-31";
  sitrep::Claim c;
  if (sitrep::query::ParseClaim(text, o, &c)) {
    FUZZ_CHECK(!c.metric.empty());
    sitrep::query::NormaliseClaim(o, &c);
  }
  return 0;
}
