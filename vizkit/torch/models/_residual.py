"""ResNet: stages of residual blocks, each block's output F(x) + x."""

from __future__ import annotations

from torch import nn

from vizkit.torch.models._checks import check_num_classes, on_meta

__all__ = ["BasicBlock", "Bottleneck", "ResNet", "resnet18", "resnet34", "resnet50"]


def _shortcut(in_channels: int, out_channels: int, stride: int) -> nn.Module | None:
    """The projection (1x1 convolution and batch norm) when the shape changes, else None: the identity."""
    if stride == 1 and in_channels == out_channels:
        return None
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),
        nn.BatchNorm2d(out_channels),
    )


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm; the input added back before the last ReLU."""

    expansion = 1

    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = _shortcut(in_channels, planes, stride)

    def residual(self, x):
        """F(x): the block's path without the skip connection."""
        return self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.residual(x) + identity)


class Bottleneck(nn.Module):
    """1x1 (reduce), 3x3 (stride here, as torchvision's v1.5), 1x1 (expand by 4), input added back."""

    expansion = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        out = planes * self.expansion
        self.conv1 = nn.Conv2d(in_channels, planes, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = _shortcut(in_channels, out, stride)

    def residual(self, x):
        """F(x): the block's path without the skip connection."""
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.relu(self.bn2(self.conv2(x)))
        return self.bn3(self.conv3(x))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.residual(x) + identity)


class ResNet(nn.Module):
    """ResNet as torchvision builds it: a 7x7 stem, four stages (64, 128, 256, 512 planes), pooling, one linear layer."""

    def __init__(self, block, layers, num_classes: int = 1000) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        channels = 64
        for index, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers)):
            stage = []
            for number in range(blocks):
                stride = 2 if index > 0 and number == 0 else 1
                stage.append(block(channels, planes, stride))
                channels = planes * block.expansion
            self.add_module(f"layer{index + 1}", nn.Sequential(*stage))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        for module in self.modules() if not on_meta(self) else ():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.avgpool(x).flatten(1))


def resnet18(num_classes: int = 1000) -> ResNet:
    """ResNet-18 (He et al., 2015), layer for layer as ``torchvision.models.resnet18``.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    ResNet
        Eight basic blocks (2-2-2-2): 20 convolutions (17 on the main path, 3 projections),
        20 batch norms, one linear layer; 11 689 512 parameters at 1 000 classes.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import resnet18
    >>> with torch.device("meta"):
    ...     model = resnet18(num_classes=10)
    >>> model.fc, sum(p.numel() for p in model.parameters())
    (Linear(in_features=512, out_features=10, bias=True), 11181642)
    """
    return ResNet(BasicBlock, (2, 2, 2, 2), check_num_classes(num_classes))


def resnet34(num_classes: int = 1000) -> ResNet:
    """ResNet-34, as ``torchvision.models.resnet34``: basic blocks 3-4-6-3.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    ResNet
        21 797 672 parameters at 1 000 classes.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import resnet34
    >>> with torch.device("meta"):
    ...     model = resnet34()
    >>> sum(p.numel() for p in model.parameters())
    21797672
    """
    return ResNet(BasicBlock, (3, 4, 6, 3), check_num_classes(num_classes))


def resnet50(num_classes: int = 1000) -> ResNet:
    """ResNet-50, as ``torchvision.models.resnet50`` (v1.5: the stride in the 3x3 convolution): bottlenecks 3-4-6-3.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    ResNet
        25 557 032 parameters at 1 000 classes.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import resnet50
    >>> with torch.device("meta"):
    ...     model = resnet50()
    >>> sum(p.numel() for p in model.parameters())
    25557032
    """
    return ResNet(Bottleneck, (3, 4, 6, 3), check_num_classes(num_classes))
