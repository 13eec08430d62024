package dev.berth.kubernetes.resource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Berth service declared on a cluster: {@code berthservices.berth.dev}, version {@value
 * #VERSION}. Its spec has the shape of a service definition file (see {@link BerthServiceSpec}),
 * its name is the service's, and its status speaks the words of {@code berth status} on a node.
 *
 * <p>The CRD is generated from this class at build time by fabric8's crd-generator-maven-plugin and
 * checked in at {@code deploy/kubernetes/berthservices.berth.dev-v1.yml}; a test fails when the two
 * differ.
 */
@Group(BerthService.GROUP)
@Version(BerthService.VERSION)
@ShortNames("bsvc")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class BerthService extends CustomResource<BerthServiceSpec, BerthServiceStatus>
    implements Namespaced {

  public static final String GROUP = "berth.dev";
  public static final String VERSION = "v1alpha1";

  /** {@code berth.dev/v1alpha1}, as objects' ownerReferences name it. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String KIND = "BerthService";
}
