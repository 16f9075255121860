# The Debian package: `cpack -G DEB` in a build tree makes
# bbbgate_<version>_amd64.deb with /usr/bin/bbbgate, the example
# /etc/bbbgate/bbbgate.yaml (a conffile), the hardened systemd unit and the
# operator's documentation (docs/operations.md explains each).
include(GNUInstallDirs)
install(TARGETS bbbgate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES packaging/bbbgate.yaml DESTINATION /etc/bbbgate
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES packaging/bbbgate.service DESTINATION /lib/systemd/system)
install(FILES README.md docs/operations.md docs/configuration.md
  docs/admin-api.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME bbbgate)
set(CPACK_PACKAGE_VENDOR "bbbgate")
set(CPACK_PACKAGE_CONTACT "bbbgate maintainers <bbbgate@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "BigBlueButton Integration API gateway for a fleet of BBB servers")
set(CPACK_PACKAGE_DESCRIPTION
  "bbbgate is one BigBlueButton server to every client (Moodle, Greenlight,\
 Nextcloud, the BBB libraries): it checks each call with the customer's\
 secret, reserves the customer's connections, places the meeting on a BBB\
 server with room and answers exactly as BBB would.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies found by dpkg-shlibdeps; users and the unit need these.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/packaging/debian/conffiles;${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
