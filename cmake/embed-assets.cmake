# Turns the files under web/ (and the extra files named in EXTRA) into a C
# array of {name, data, len, etag, version} that the server serves without
# touching the file system. Run with cmake -P:
#   -DDIR=web directory  -DOUT=generated .c file  -DEXTRA="name=path;..."
#
# Files under node_modules/, dotfiles and npm's package files are left out.
# In .html files, {{asset:NAME}} becomes /assets/NAME?v=VERSION, where VERSION
# is the first 12 hex digits of NAME's SHA-256: a page names the exact version
# of each asset it uses, so assets can be cached for a year.
file(GLOB_RECURSE files RELATIVE ${DIR} ${DIR}/*)
list(FILTER files EXCLUDE REGEX "(^|/)node_modules/|(^|/)\\.|(^|/)package(-lock)?\\.json$")
list(SORT files)

set(names "")
foreach(rel ${files})
  list(APPEND names ${rel})
  set(path_${rel} ${DIR}/${rel})
endforeach()
foreach(pair ${EXTRA})
  string(REGEX MATCH "^([^=]+)=(.+)$" ok "${pair}")
  if(NOT ok)
    message(FATAL_ERROR "embed-assets: EXTRA item '${pair}' is not NAME=PATH")
  endif()
  list(APPEND names ${CMAKE_MATCH_1})
  set(path_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
endforeach()

# Versions first: pages refer to the other assets by version.
foreach(name ${names})
  file(SHA256 ${path_${name}} sum)
  string(SUBSTRING ${sum} 0 12 version_${name})
endforeach()

# Line breaks every 24 bytes (CMake's regular expressions have no {n}).
string(REPEAT "0x..," 24 row)

set(body "/* Generated from web/ by cmake/embed-assets.cmake. */\n")
string(APPEND body "#include \"http/assets.h\"\n\n")
set(table "")
set(i 0)
foreach(name ${names})
  if(name MATCHES "\\.html$")
    file(READ ${path_${name}} text)
    foreach(other ${names})
      string(REPLACE "{{asset:${other}}}" "/assets/${other}?v=${version_${other}}" text
             "${text}")
    endforeach()
    if(text MATCHES "{{asset:([^}]*)}}")
      message(FATAL_ERROR "embed-assets: ${name} refers to a missing asset '${CMAKE_MATCH_1}'")
    endif()
    string(SHA256 sum "${text}")
    string(SUBSTRING ${sum} 0 12 version_${name})
    string(HEX "${text}" hex)
  else()
    file(READ ${path_${name}} hex HEX)
  endif()
  string(LENGTH "${hex}" hexlen)
  math(EXPR len "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(${row})" "\\1\n" bytes "${bytes}")
  string(APPEND body "static const unsigned char asset_${i}[] = {\n${bytes}0x00};\n")
  string(APPEND table "\t{\"${name}\", asset_${i}, ${len}, \"\\\"${version_${name}}\\\"\", "
                      "\"${version_${name}}\"},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "\nconst struct http_asset http_assets[] = {\n${table}\t{0},\n};\n\n")
string(APPEND body "const size_t http_asset_count = ${i};\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
