# Writes OUT: every file under DIR as a byte array plus a lookup table
# (serve/assets.h). Run at build time whenever a file in web/ changes.
file(GLOB_RECURSE files RELATIVE ${DIR} ${DIR}/*)
list(SORT files)
set(body "")
set(table "")
set(i 0)
foreach(f IN LISTS files)
  file(READ ${DIR}/${f} hex HEX)
  file(SIZE ${DIR}/${f} size)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "const unsigned char kA${i}[] = {${hex}0};\n")
  string(APPEND table "    {\"/${f}\", kA${i}, ${size}},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT}.tmp
  "// Generated from web/ by src/serve/embed_assets.cmake: do not edit.\n"
  "#include \"serve/assets.h\"\n\n"
  "namespace sitrep::serve {\nnamespace {\n${body}}  // namespace\n\n"
  "const std::vector<Asset>& EmbeddedAssets() {\n"
  "  static const std::vector<Asset> k = {\n${table}  };\n  return k;\n}\n\n"
  "}  // namespace sitrep::serve\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
