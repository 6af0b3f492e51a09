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
        AccountLinkStaff = "account.link_staff" { vi: "Gắn tài khoản với hồ sơ nhân sự", en: "Link account to staff record" },
        StaffCreate = "staff.create" { vi: "Tạo hồ sơ nhân sự", en: "Create staff record" },
        StaffUpdate = "staff.update" { vi: "Sửa hồ sơ nhân sự", en: "Update staff record" },
        MembershipAdd = "staff.membership_add" { vi: "Thêm quan hệ công tác", en: "Add membership" },
        MembershipEnd = "staff.membership_end" { vi: "Chấm dứt quan hệ công tác", en: "End membership" },
        CardIssue = "collaborator_card.issue" { vi: "Cấp thẻ cộng tác viên", en: "Issue collaborator card" },
        CardReissue = "collaborator_card.reissue" { vi: "Cấp lại thẻ cộng tác viên", en: "Reissue collaborator card" },
        CardRevoke = "collaborator_card.revoke" { vi: "Thu hồi thẻ cộng tác viên", en: "Revoke collaborator card" },
        ParticipationRegister = "participation.register" { vi: "Đăng ký tham gia trợ giúp pháp lý", en: "Register participation" },
        ParticipationAmend = "participation.amend" { vi: "Thay đổi nội dung đăng ký tham gia", en: "Amend participation" },
        ParticipationTerminate = "participation.terminate" { vi: "Chấm dứt tham gia trợ giúp pháp lý", en: "Terminate participation" },
        ParticipationRevoke = "participation.revoke" { vi: "Thu hồi giấy chứng nhận đăng ký tham gia", en: "Revoke registration" },
        ContractSign = "contract.sign" { vi: "Ký hợp đồng thực hiện trợ giúp pháp lý", en: "Sign contract" },
        ContractAmend = "contract.amend" { vi: "Sửa đổi hợp đồng", en: "Amend contract" },
        ContractTerminate = "contract.terminate" { vi: "Chấm dứt hợp đồng", en: "Terminate contract" },
        RecipientCreate = "recipient.create" { vi: "Tạo hồ sơ người được trợ giúp pháp lý", en: "Create recipient" },
        RecipientUpdate = "recipient.update" { vi: "Sửa hồ sơ người được trợ giúp pháp lý", en: "Update recipient" },
        ProofAdd = "recipient.proof_add" { vi: "Thêm giấy tờ chứng minh", en: "Add proof document" },
        ProvinceCreate = "province.create" { vi: "Thêm tỉnh, thành phố", en: "Create province" },
        ProvinceUpdate = "province.update" { vi: "Sửa tỉnh, thành phố", en: "Update province" },
    }
}
