# Tenant-owned models inherit alliedup.models.TenantModel (non-null cooperative FK, scoped manager).
