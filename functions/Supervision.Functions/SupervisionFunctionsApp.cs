using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using Supervision.Functions.Sweep;
using Supervision.Hosting;
using Supervision.Security;

namespace Supervision.Functions;

/// <summary>How the Functions app is composed; <c>Program</c> runs it, and the tests build it the same way.</summary>
public static class SupervisionFunctionsApp
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();

        IOpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
            telemetry.UseAzureMonitorExporter();

        builder.Services.AddSupervision(builder.Configuration);
        builder.Services.AddSingleton<IStaffIdentitySource, AppServiceAuthentication>();
        builder.Services.AddSingleton<IFunctionMetadataTransformer, SweepScheduleMetadata>();
        return builder;
    }
}
