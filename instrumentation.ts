// Runs once when the server starts: a wrong or missing setting stops start-up with a message
// naming the variable, instead of failing on the first request; then background work starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigAtStartup } = await import("./server/process/startup-check");
    checkConfigAtStartup();
    const { startBackgroundServices } = await import("./server/process/background-services");
    const { installShutdownHandlers } = await import("./server/process/lifecycle");
    installShutdownHandlers();
    startBackgroundServices({ role: "web" });
  }
}
