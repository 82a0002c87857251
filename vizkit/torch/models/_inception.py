"""GoogLeNet (Inception v1): nine inception modules, each four branches side by side, concatenated."""

from __future__ import annotations

import torch
from torch import nn

from vizkit.torch.models._checks import check_num_classes, on_meta

__all__ = ["BasicConv2d", "GoogLeNet", "Inception", "InceptionAux", "googlenet"]


class BasicConv2d(nn.Sequential):
    """A bias-free convolution, batch normalization (eps 0.001) and ReLU, as torchvision's GoogLeNet."""

    def __init__(self, in_channels: int, out_channels: int, **conv_kws) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, bias=False, **conv_kws),
            nn.BatchNorm2d(out_channels, eps=0.001),
            nn.ReLU(inplace=True),
        )


class Inception(nn.Module):
    """Four branches concatenated: 1x1; 1x1 then 3x3; 1x1 then "5x5"; 3x3 max pooling then 1x1.

    The "5x5" branch has a 3x3 kernel, as in torchvision (a slip its weights were trained
    with and that it keeps); the 1x1 convolutions before the 3x3 and 5x5 ones are the
    bottleneck that reduces the channels they see.
    """

    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, kernel_size=1),
            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),
        )
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1),
            BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1),
        )
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, kernel_size=1),
        )

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class InceptionAux(nn.Module):
    """An auxiliary classifier on an intermediate map (used in training only)."""

    def __init__(self, in_channels: int, num_classes: int, dropout: float = 0.7) -> None:
        super().__init__()
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(2048, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x):
        x = self.conv(nn.functional.adaptive_avg_pool2d(x, (4, 4)))
        x = self.dropout(nn.functional.relu(self.fc1(x.flatten(1)), inplace=True))
        return self.fc2(x)


# in, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection (Szegedy et al., table 1)
_INCEPTIONS = {
    "3a": (192, 64, 96, 128, 16, 32, 32),
    "3b": (256, 128, 128, 192, 32, 96, 64),
    "4a": (480, 192, 96, 208, 16, 48, 64),
    "4b": (512, 160, 112, 224, 24, 64, 64),
    "4c": (512, 128, 128, 256, 24, 64, 64),
    "4d": (512, 112, 144, 288, 32, 64, 64),
    "4e": (528, 256, 160, 320, 32, 128, 128),
    "5a": (832, 256, 160, 320, 32, 128, 128),
    "5b": (832, 384, 192, 384, 48, 128, 128),
}


class GoogLeNet(nn.Module):
    """GoogLeNet as torchvision builds it; in training with ``aux_logits`` it returns (logits, aux2, aux1)."""

    def __init__(self, num_classes: int = 1000, aux_logits: bool = False, dropout: float = 0.2) -> None:
        super().__init__()
        self.aux_logits = aux_logits
        self.conv1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        for name, channels in _INCEPTIONS.items():
            self.add_module(f"inception{name}", Inception(*channels))
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.aux1 = InceptionAux(512, num_classes) if aux_logits else None
        self.aux2 = InceptionAux(528, num_classes) if aux_logits else None
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(1024, num_classes)
        for module in self.modules() if not on_meta(self) else ():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(module.weight, mean=0.0, std=0.01, a=-2, b=2)
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x):
        x = self.maxpool2(self.conv3(self.conv2(self.maxpool1(self.conv1(x)))))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = self.fc(self.dropout(self.avgpool(x).flatten(1)))
        if aux1 is not None:
            return x, aux2, aux1
        return x


def googlenet(num_classes: int = 1000, *, aux_logits: bool = False) -> GoogLeNet:
    """GoogLeNet, Inception v1 (Szegedy et al., 2014), layer for layer as ``torchvision.models.googlenet``.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the classifier (and of the auxiliary ones).
    aux_logits : bool, default False
        Add the two auxiliary classifiers (after inception 4a and 4d). In training mode the
        model then returns ``(logits, aux2, aux1)``; in eval mode only the logits.

    Returns
    -------
    GoogLeNet
        57 convolutions, each followed by batch normalization, and one fully connected layer:
        6 624 904 parameters at 1 000 classes, 13 004 888 with the auxiliary classifiers.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import googlenet
    >>> with torch.device("meta"):
    ...     plain, with_aux = googlenet(), googlenet(aux_logits=True)
    >>> sum(p.numel() for p in plain.parameters()), sum(p.numel() for p in with_aux.parameters())
    (6624904, 13004888)
    """
    if not isinstance(aux_logits, bool):
        from vizkit._core.errors import bad_type

        raise bad_type("aux_logits", "True or False", aux_logits)
    return GoogLeNet(num_classes=check_num_classes(num_classes), aux_logits=aux_logits)
