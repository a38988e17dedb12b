using Microsoft.AspNetCore.Authentication;

namespace Herald.Server.Dashboard;

/// <summary>
/// The interactive circuit's hub (<c>/_blazor</c>) answers only a signed-in dashboard user. The server's default
/// scheme is the API key's, so the hub would otherwise take any caller; the pages that hand out circuits already
/// need the sign-in, and this keeps a connection without the dashboard's cookie from opening one.
/// </summary>
internal static class CircuitGuard
{
    public const string HubPath = "/_blazor";

    public static IApplicationBuilder UseDashboardCircuitGuard(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(HubPath), branch => branch.Use(async (context, next) =>
        {
            var signedIn = await context.AuthenticateAsync(DashboardAuth.Scheme);
            if (!signedIn.Succeeded)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            context.User = signedIn.Principal;
            await next(context);
        }));
}
