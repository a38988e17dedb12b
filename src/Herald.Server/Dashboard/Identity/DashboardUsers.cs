using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Identity;

/// <summary>
/// Creates dashboard users: the setup link and <c>herald users add</c> both come here, so both apply the same
/// password rules and both make an admin.
/// </summary>
public sealed class DashboardUsers(UserManager<DashboardUser> users, RoleManager<IdentityRole> roles)
{
    /// <summary>The role of a user who may do everything in the dashboard (every user, for now).</summary>
    public const string AdminRole = "admin";

    /// <summary>Whether any user exists (while none does, the server offers a one-time setup link).</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => users.Users.AnyAsync(cancellationToken);

    /// <summary>Creates an admin; on refusal, every problem (user name taken, password rules) with its field.</summary>
    public async Task<IReadOnlyList<(string Field, string Message)>> AddAdminAsync(string userName, string password)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(userName))
        {
            problems.Add(("userName", "give a user name, such as admin or an email address"));
        }

        if (string.IsNullOrEmpty(password))
        {
            problems.Add(("password", "give a password"));
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        if (!await roles.RoleExistsAsync(AdminRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(AdminRole)), problems);
        }

        var user = new DashboardUser { UserName = userName.Trim(), LockoutEnabled = true };
        if (Check(await users.CreateAsync(user, password), problems))
        {
            Check(await users.AddToRoleAsync(user, AdminRole), problems);
        }

        return problems;
    }

    private static bool Check(IdentityResult result, List<(string, string)> problems)
    {
        foreach (var error in result.Errors)
        {
            problems.Add((error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "userName", error.Description));
        }

        return result.Succeeded;
    }
}
