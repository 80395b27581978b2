# demo.mk -- demo.c (an extension module) and embed.c (a program embedding
# CPython) built by make with nothing but pkg-config:
#
#     make -f demo.mk PYTHON=python3
#     make -f demo.mk embed
#
# PYTHON names the interpreter whose extension suffix the module gets;
# pkg-config's python3 and python3-embed must be of that same CPython
# (PKG_CONFIG_PATH).

PYTHON = python3
PKG_CONFIG = pkg-config
CFLAGS = -O2 -Wall -Wextra -Wno-unused-parameter
EXT_SUFFIX := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')

pyz3demo$(EXT_SUFFIX): demo.c
	$(CC) -shared -fPIC $(CFLAGS) $$($(PKG_CONFIG) --cflags pyz3) -o $@ demo.c \
	    $(LDFLAGS) $$($(PKG_CONFIG) --libs pyz3)

embed: embed.c
	$(CC) -pthread $(CFLAGS) $$($(PKG_CONFIG) --cflags pyz3-embed) -o $@ embed.c \
	    $(LDFLAGS) $$($(PKG_CONFIG) --libs pyz3-embed)
