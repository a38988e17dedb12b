using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Herald.Storage;

/// <summary>
/// The model holds the credential converter, which holds the key: one process that opens two databases
/// with different keys (tests do) needs one model per key.
/// </summary>
internal sealed class HeraldModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is HeraldDbContext herald
            ? (context.GetType(), herald.Protector.KeyId, designTime)
            : (object)(context.GetType(), designTime);
}
