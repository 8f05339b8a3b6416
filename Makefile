# Build, install and package commitbridge (GNU make).
#
#   make                 build the three release programs (commitbridge, commitbridge-commit-msg,
#                        tracker-sim) as the README explains
#   make install         build, then install into $(PREFIX) (default /usr/local): stripped
#                        programs, bash/zsh/fish completions and man pages; DESTDIR stages it
#   make uninstall       remove exactly the files install put there
#   make deb             build commitbridge_<version>_<arch>.deb (laid out under /usr)
#   make clean-dist      remove the generated completions, man pages and package
#
# The programs are built one at a time: a plain `swift build --static-swift-stdlib` also links
# GRDB's dynamic-library product, which refuses a static Swift runtime.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
SWIFTFLAGS ?= -c release --static-swift-stdlib
# Where `swift build -c release` leaves the programs.
SWIFT_BIN_DIR ?= .build/release
INSTALL ?= install

bindir ?= $(PREFIX)/bin
datadir ?= $(PREFIX)/share
man1dir ?= $(datadir)/man/man1
bashcompdir ?= $(datadir)/bash-completion/completions
zshcompdir ?= $(datadir)/zsh/site-functions
fishcompdir ?= $(datadir)/fish/vendor_completions.d

PROGRAMS := commitbridge commitbridge-commit-msg tracker-sim
# Pages for the programs built on swift-argument-parser; commitbridge-commit-msg has none.
MANPAGES := commitbridge.1 tracker-sim.1
VERSION := $(shell sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/CommitBridgeCore/CommitBridgeVersion.swift)
DIST := .build/dist

# The man pages come from the programs' own help (--experimental-dump-help), rendered by
# swift-argument-parser's generate-manual tool, built from the copy SwiftPM already checked out.
# (Its `swift package generate-manual` plugin does the same but first rebuilds every product in a
# configuration of its own: a second full release build.)
ARGUMENT_PARSER_DIR ?= .build/checkouts/swift-argument-parser
GENERATE_MANUAL := .build/generate-manual/release/generate-manual
# Pages dated by the last commit, so that rebuilding them changes nothing.
MAN_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null)

.PHONY: all build completions man dist install install-files uninstall deb clean-dist

all: build

build:
	@if [ -z "$(VERSION)" ]; then echo "make: cannot read the version from Sources/CommitBridgeCore/CommitBridgeVersion.swift" >&2; exit 2; fi
	$(SWIFT) build $(SWIFTFLAGS) --product commitbridge
	$(SWIFT) build $(SWIFTFLAGS) --product commitbridge-commit-msg
	$(SWIFT) build $(SWIFTFLAGS) --product tracker-sim

completions: build
	@mkdir -p $(DIST)/completions
	$(SWIFT_BIN_DIR)/commitbridge --generate-completion-script bash > $(DIST)/completions/commitbridge.bash
	$(SWIFT_BIN_DIR)/commitbridge --generate-completion-script zsh > $(DIST)/completions/_commitbridge
	$(SWIFT_BIN_DIR)/commitbridge --generate-completion-script fish > $(DIST)/completions/commitbridge.fish

$(GENERATE_MANUAL): | build
	$(SWIFT) build --package-path $(ARGUMENT_PARSER_DIR) --scratch-path .build/generate-manual -c release --product generate-manual

man: build $(GENERATE_MANUAL)
	@mkdir -p $(DIST)/man
	$(GENERATE_MANUAL) $(SWIFT_BIN_DIR)/commitbridge $(if $(MAN_DATE),--date $(MAN_DATE)) --output-directory $(DIST)/man
	$(GENERATE_MANUAL) $(SWIFT_BIN_DIR)/tracker-sim $(if $(MAN_DATE),--date $(MAN_DATE)) --output-directory $(DIST)/man

dist: build completions man

install: dist
	$(MAKE) --no-print-directory install-files

# Installs what `dist` made, without building.
install-files:
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(man1dir) $(DESTDIR)$(bashcompdir) $(DESTDIR)$(zshcompdir) $(DESTDIR)$(fishcompdir)
	$(INSTALL) -m 755 -s $(addprefix $(SWIFT_BIN_DIR)/,$(PROGRAMS)) $(DESTDIR)$(bindir)/
	$(INSTALL) -m 644 $(addprefix $(DIST)/man/,$(MANPAGES)) $(DESTDIR)$(man1dir)/
	$(INSTALL) -m 644 $(DIST)/completions/commitbridge.bash $(DESTDIR)$(bashcompdir)/commitbridge
	$(INSTALL) -m 644 $(DIST)/completions/_commitbridge $(DESTDIR)$(zshcompdir)/_commitbridge
	$(INSTALL) -m 644 $(DIST)/completions/commitbridge.fish $(DESTDIR)$(fishcompdir)/commitbridge.fish

uninstall:
	rm -f $(addprefix $(DESTDIR)$(bindir)/,$(PROGRAMS))
	rm -f $(addprefix $(DESTDIR)$(man1dir)/,$(MANPAGES))
	rm -f $(DESTDIR)$(bashcompdir)/commitbridge
	rm -f $(DESTDIR)$(zshcompdir)/_commitbridge
	rm -f $(DESTDIR)$(fishcompdir)/commitbridge.fish

# Debian's zsh looks for packaged completions in vendor-completions, not site-functions.
deb: dist
	rm -rf $(DIST)/deb
	$(MAKE) --no-print-directory install-files DESTDIR=$(CURDIR)/$(DIST)/deb PREFIX=/usr zshcompdir=/usr/share/zsh/vendor-completions
	packaging/build-deb.sh $(DIST)/deb $(VERSION) .

clean-dist:
	rm -rf $(DIST) commitbridge_*.deb
