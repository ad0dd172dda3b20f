# cmake -DIN=FILE -DOUT=FILE.c -DNAME=SYMBOL -P cmake/rg_embed_text.cmake
# A text file as a C array of its lines, `const char *const NAME[]`, NULL-terminated: one
# string literal per line, so that none exceeds the 4095 characters C requires a compiler to
# take. The report page's stylesheet and script (src/io/htmlreport.css, .js) reach the io
# library this way; the output is written whole or not at all.
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\t" "\\t" text "${text}")
string(REGEX REPLACE "\n$" "" text "${text}")
string(REPLACE "\n" "\",\n    \"" text "${text}")
get_filename_component(name "${IN}" NAME)
file(WRITE "${OUT}.tmp"
     "/* ${name} as C strings, one per line (cmake/rg_embed_text.cmake): generated. */\n"
     "#include <stddef.h>\n\nconst char *const ${NAME}[] = {\n    \"${text}\",\n    NULL};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
