using Supervision.LocalHost;

await LocalHostApp.Create(args).RunAsync();
