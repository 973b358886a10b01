// Runs once when the server starts: a wrong or missing setting stops start-up with a message
// naming the variable, instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigAtStartup } = await import("./server/startup-check");
    checkConfigAtStartup();
  }
}
