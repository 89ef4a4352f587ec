// The dashboard's static files (web/), compiled into the binary.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sitrep::serve {

struct Asset {
  const char* path;  // "/index.html", "/app.js", ...
  const unsigned char* data;
  size_t size;
};

const std::vector<Asset>& EmbeddedAssets();

}  // namespace sitrep::serve
