import os
import sys

# The package lives in the build tree: <build>/python/sitrep.
build = os.environ.get("SITREP_BUILD_DIR")
if build:
    sys.path.insert(0, os.path.join(build, "python"))
