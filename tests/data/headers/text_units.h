/* Text in a one-byte integer type the API names as a character (libxml2's xmlChar,
   libyaml's yaml_char_t), against bytes it does not. */
typedef unsigned char xyChar;
typedef unsigned char xyByte;
int xyParse(const xyChar *text);
int xyWrite(const xyChar *data, int len);
int xyHash(const xyByte *data);
