package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What the user wants for one lattice node. The operator never writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LatticeNodeSpec {

  /** DNS-1035 label: lowercase alphanumerics and '-', starting with a letter. */
  public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** DNS-1123 subdomain, as Secret names are: lowercase alphanumerics, '-' and '.'. */
  public static final String DNS_1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

  @Required
  @Pattern(DNS_1035_LABEL)
  @Size(max = 50)
  @ValidationRule(
      value = "self == oldSelf",
      message = "lattice is immutable: delete the node and create it again to move it to another lattice")
  @PrinterColumn(name = "Lattice")
  @JsonPropertyDescription(
      "The lattice (network) this node belongs to. Nodes of the same lattice in a namespace peer with"
          + " each other over HTTP and P2P and are compared with each other for Merkle divergence."
          + " A DNS-1035 label of at most 50 characters; it names the lattice's headless peer Service"
          + " '<lattice>-peers'. Immutable.")
  private String lattice;

  @Required
  @Pattern(DNS_1035_LABEL)
  @Size(max = 63)
  @PrinterColumn(name = "Role")
  @JsonPropertyDescription(
      "The node's role in the lattice, passed to the node as DIOTEC360_NODE_ROLE, e.g."
          + " 'genesis-primary', 'genesis-public' or 'genesis-backup'.")
  private String role;

  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription(
      "Container image of the lattice node. Defaults to the operator's LATTICE_NODE_IMAGE setting"
          + " (the reference node built from node-image/).")
  private String image;

  @JsonPropertyDescription("When the kubelet pulls the image: Always, IfNotPresent or Never.")
  @Default("IfNotPresent")
  private ImagePullPolicy imagePullPolicy;

  @JsonPropertyDescription(
      "CPU and memory requests and limits of the node container. Defaults: requests cpu 100m,"
          + " memory 256Mi; limit memory 512Mi.")
  private NodeResources resources;

  @Pattern("^[A-Za-z0-9._-]{1,63}$")
  @Default("production")
  @JsonPropertyDescription(
      "Deployment environment passed to the node as DIOTEC360_ENVIRONMENT, e.g. 'production'.")
  private String environment;

  @Default("INFO")
  @JsonPropertyDescription("Log level of the node (DIOTEC360_LOG_LEVEL).")
  private LogLevel logLevel;

  @JsonPropertyDescription(
      "How the node keeps its state in sync with its peers: P2P gossip with HTTP polling as"
          + " fallback ('auto'), or one of them forced.")
  private SyncSpec sync;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Extra peer base URLs outside the cluster, e.g. 'https://api.diotec360.com'. The members of"
          + " the same lattice in this namespace are added by the operator; do not list them here.")
  private List<@Pattern("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s]*)?$") String> peers =
      new ArrayList<>();

  @JsonPropertyDescription(
      "DNS entries for this node: aliases inside the cluster (CNAME-style and A-style Services)"
          + " and public hostnames published by ExternalDNS.")
  private DnsSpec dns;

  @JsonPropertyDescription("Persistent storage for the node's state, vault and sentinel directories.")
  private StorageSpec storage;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Extra plain environment variables for the node container. Names starting with DIOTEC360_"
          + " are managed through the other spec fields and are rejected here. Never put secret"
          + " values here: use secretEnv.")
  private List<ExtraEnvVar> env = new ArrayList<>();

  @Size(max = 64)
  @JsonPropertyDescription(
      "Environment variables filled from keys of Kubernetes Secrets in the node's namespace. The"
          + " node is not started until every referenced Secret and key exists.")
  private List<SecretEnvVar> secretEnv = new ArrayList<>();

  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription(
      "Optional target Merkle root of the lattice (64 lowercase hex characters). When set, members"
          + " are judged against it instead of the majority root.")
  private String expectedMerkleRoot;

  @JsonPropertyDescription(
      "true: scale the node to zero and keep its state claim, Services and config (phase"
          + " Suspended); false or absent: run it. A suspended node still counts as a member of its"
          + " lattice, so the operator refuses to suspend so many members that fewer than a strict"
          + " majority would run (see docs/operations.md).")
  private Boolean suspend;

  @JsonPropertyDescription(
      "Opt-in repair of this node when it diverges (default off): see selfHeal.enabled and"
          + " docs/watching.md.")
  private SelfHealSpec selfHeal;

  public String getLattice() {
    return lattice;
  }

  public void setLattice(String lattice) {
    this.lattice = lattice;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public NodeResources getResources() {
    return resources;
  }

  public void setResources(NodeResources resources) {
    this.resources = resources;
  }

  public String getEnvironment() {
    return environment;
  }

  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  public LogLevel getLogLevel() {
    return logLevel;
  }

  public void setLogLevel(LogLevel logLevel) {
    this.logLevel = logLevel;
  }

  public SyncSpec getSync() {
    return sync;
  }

  public void setSync(SyncSpec sync) {
    this.sync = sync;
  }

  public List<String> getPeers() {
    return peers;
  }

  public void setPeers(List<String> peers) {
    this.peers = peers;
  }

  public DnsSpec getDns() {
    return dns;
  }

  public void setDns(DnsSpec dns) {
    this.dns = dns;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public List<ExtraEnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<ExtraEnvVar> env) {
    this.env = env;
  }

  public List<SecretEnvVar> getSecretEnv() {
    return secretEnv;
  }

  public void setSecretEnv(List<SecretEnvVar> secretEnv) {
    this.secretEnv = secretEnv;
  }

  public String getExpectedMerkleRoot() {
    return expectedMerkleRoot;
  }

  public void setExpectedMerkleRoot(String expectedMerkleRoot) {
    this.expectedMerkleRoot = expectedMerkleRoot;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public SelfHealSpec getSelfHeal() {
    return selfHeal;
  }

  public void setSelfHeal(SelfHealSpec selfHeal) {
    this.selfHeal = selfHeal;
  }

  /** True when spec.selfHeal.enabled is true. */
  public boolean selfHealing() {
    return selfHeal != null && Boolean.TRUE.equals(selfHeal.getEnabled());
  }

  /** True when spec.suspend is true. */
  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }
}
