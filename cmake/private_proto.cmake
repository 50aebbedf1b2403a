# Copies the public jszb.v1 schema as package jszb.impl.v1 (files jszb_impl/v1/),
# which is what the library compiles into itself. Wire format, JSON and text
# format carry field numbers and names, not package names, so they are the
# same; but a program that compiles the public jszb.v1 schema itself can now
# load libjszb too: protobuf refuses two definitions of one file or message.
# Usage: cmake -DIN=<x.proto> -DOUT=<y.proto> -P private_proto.cmake
file(READ ${IN} text)
string(REPLACE "package jszb.v1;" "package jszb.impl.v1;" text "${text}")
string(REPLACE "import \"jszb/v1/" "import \"jszb_impl/v1/" text "${text}")
file(WRITE ${OUT}.tmp "${text}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
