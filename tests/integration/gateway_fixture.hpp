#pragma once

#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tests/integration/harness.hpp"

namespace gw::test {

/// Two sim nodes with different secrets behind one gateway process, two
/// tenants: acme (path routing, two secrets, 100 connections) and beta
/// (Host routing too, SHA-256/512 only, 50 connections).
class GatewayFixture : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = temp_dir();
    node1_ = std::make_unique<sim_process>("node-secret-1");
    node2_ = std::make_unique<sim_process>("node-secret-2");
    write_config();
    start_gateway();
  }

  void TearDown() override {
    gateway_.reset();
    node1_.reset();
    node2_.reset();
  }

  /// Extra YAML appended to the config (top-level keys).
  virtual std::string extra_config() const {
    return {};
  }

  /// Extra YAML list items appended to `tenants:`.
  virtual std::string extra_tenants() const {
    return {};
  }

  virtual long long node_capacity() const {
    return 50;
  }

  void write_config() {
    config_path_ = dir_ + "/bbbgate.yaml";
    std::ofstream out(config_path_);
    gateway_port_ = free_port();
    out << "listen: 127.0.0.1:" << gateway_port_ << "\n"
        << "public_url: http://127.0.0.1:" << gateway_port_ << "/\n"
        << "database: " << dir_ << "/bbbgate.db\n"
        << "body_limit_bytes: 65536\n"
        << "chat_texts:\n  welcome: \"Platform hello %%DIALNUM%%\"\n"
        << "  moderator_only: \"Platform mods\"\n"
        << extra_config() << "nodes:\n"
        << "  - id: n1\n    url: " << node1_->url()
        << "\n    secret: node-secret-1\n    capacity: " << node_capacity()
        << "\n"
        << "  - id: n2\n    url: " << node2_->url()
        << "\n    secret: node-secret-2\n    capacity: " << node_capacity()
        << "\n"
        << "tenants:\n"
        << "  - id: acme\n    secrets: [acme-secret, acme-old]\n"
        << "    connections: 100\n"
        << "  - id: beta\n    secrets: [beta-secret]\n    connections: 50\n"
        << "    checksum_algorithms: [sha256, sha512]\n"
        << "    hosts: [bbb.beta.example]\n"
        << "    chat_texts: { welcome: \"Beta hello\" }\n"
        << extra_tenants();
  }

  void start_gateway() {
    gateway_ = std::make_unique<gateway_process>(config_path_);
  }

  /// Kills the gateway with SIGKILL and starts it again on the same db.
  void crash_and_restart() {
    gateway_->proc.kill(9);
    gateway_.reset();
    start_gateway();
  }

  std::string secret_of(const std::string& tenant) const {
    if (tenant == "acme" || tenant == "beta")
      return tenant + "-secret";
    return tenant + "-key";
  }

  std::string algo_of(const std::string& tenant) const {
    return tenant == "beta" ? "sha256" : "sha1";
  }

  /// Calls `call` for `tenant` with a correct checksum.
  response api(const std::string& tenant, const std::string& call,
               const std::string& qs) {
    return get(gateway_->port,
               "/" + tenant + "/bigbluebutton/api/" + call + "?"
                 + sign(call, qs, secret_of(tenant), algo_of(tenant)));
  }

  /// Creates a meeting for `tenant`; returns the answer.
  response create(const std::string& tenant, const std::string& id,
                  const std::string& extra = "") {
    return api(tenant, "create",
               "meetingID=" + id + "&name=Room+" + id
                 + "&attendeePW=ap&moderatorPW=mp" + extra);
  }

  uint16_t port() const {
    return gateway_->port;
  }

  std::string dir_;
  std::string config_path_;
  uint16_t gateway_port_ = 0;
  std::unique_ptr<sim_process> node1_;
  std::unique_ptr<sim_process> node2_;
  std::unique_ptr<gateway_process> gateway_;
};

} // namespace gw::test
