// Umbrella header for the sitrep library.
#pragma once

#include "sitrep/document.h"
#include "sitrep/pipeline.h"
#include "sitrep/reader.h"
#include "sitrep/record.h"
