using Microsoft.Extensions.Hosting;
using Supervision.Functions;

await SupervisionFunctionsApp.CreateBuilder(args).Build().RunAsync();
