//! What the audit log records. Every write of the system names one of these actions.

use crate::vocabulary;

vocabulary! {
    pub enum AuditAction {
        OrganizationCreate = "organization.create" { vi: "Tạo tổ chức", en: "Create organization" },
        OrganizationUpdate = "organization.update" { vi: "Sửa tổ chức", en: "Update organization" },
        OrganizationDeactivate = "organization.deactivate" { vi: "Ngừng hoạt động tổ chức", en: "Deactivate organization" },
        OrganizationMove = "organization.move" { vi: "Chuyển tổ chức sang đơn vị cấp trên khác", en: "Move organization under another parent" },
        AuthTokenIssued = "auth.token_issued" { vi: "Đăng nhập, cấp mã truy cập", en: "Access token issued" },
        AccountCreate = "account.create" { vi: "Tạo tài khoản", en: "Create account" },
        AccountLock = "account.lock" { vi: "Khóa tài khoản", en: "Lock account" },
        AccountUnlock = "account.unlock" { vi: "Mở khóa tài khoản", en: "Unlock account" },
        AccountResetPassword = "account.reset_password" { vi: "Đặt lại mật khẩu", en: "Reset password" },
        AccountDeactivate = "account.deactivate" { vi: "Vô hiệu hóa tài khoản", en: "Deactivate account" },
        AccountChangeOwnPassword = "account.change_own_password" { vi: "Đổi mật khẩu của mình", en: "Change own password" },
        ServiceClientCreate = "service_client.create" { vi: "Tạo ứng dụng kết nối", en: "Create service client" },
        ServiceClientRotateSecret = "service_client.rotate_secret" { vi: "Cấp lại khóa bí mật ứng dụng", en: "Rotate service client secret" },
        ServiceClientRevoke = "service_client.revoke" { vi: "Thu hồi ứng dụng kết nối", en: "Revoke service client" },
        ProvinceCreate = "province.create" { vi: "Thêm tỉnh, thành phố", en: "Create province" },
        ProvinceUpdate = "province.update" { vi: "Sửa tỉnh, thành phố", en: "Update province" },
    }
}
