import "server-only";
import { getConfig } from "../config";
import { EntraDirectory } from "./entra-directory";

const holder = globalThis as unknown as { portalEntraDirectory?: EntraDirectory };

export function getEntraDirectory(): EntraDirectory {
  if (!holder.portalEntraDirectory) {
    const config = getConfig();
    holder.portalEntraDirectory = new EntraDirectory({ authorityHost: config.azure.authorityHost, clientId: config.azure.clientId, credential: config.azure.credential, resource: config.incidentSource === "graph" ? config.graph.resource : config.defender.resource });
  }
  return holder.portalEntraDirectory;
}
